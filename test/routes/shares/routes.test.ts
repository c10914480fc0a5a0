// Integration over HTTP semantics (route handler -> defineRoute -> PostgreSQL): share management for
// staff, the public link routes, the staff PDF and the FHIR export with API keys.
import JSONSchemaValidator from "@asymmetrik/fhir-json-schema-validator";
import crypto from "node:crypto";
import { encode } from "next-auth/jwt";
import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import * as reportPdfRoute from "@/app/api/analyses/[id]/report.pdf/route";
import * as sharesRoute from "@/app/api/analyses/[id]/shares/route";
import * as revokeRoute from "@/app/api/shares/[shareId]/route";
import * as fhirRoute from "@/app/api/v1/analyses/[id]/fhir/route";
import * as accessRoute from "@/app/share/[token]/access/route";
import * as heatmapRoute from "@/app/share/[token]/heatmap/[position]/route";
import * as imageRoute from "@/app/share/[token]/image.png/route";
import * as sharePdfRoute from "@/app/share/[token]/report.pdf/route";
import * as expiredRoute from "@/app/share/expired/route";
import { generateApiKey } from "@/lib/api-keys/keys";
import type { Principal } from "@/lib/auth/principal";
import { authSecret } from "@/lib/auth/secret";
import { db } from "@/lib/db/client";
import { apiKeys } from "@/lib/db/schema";
import { extractPdfText } from "@/test/support/pdf-text";
import { seedAnalysis, seedUser } from "@/test/support/triage/seed";
import { IMPRESSION, POSITIVE_SCORES, seedSignedOffAnalysis } from "../../support/shares";
import { browserRequest, fromAddress } from "@/test/support/principals";

async function cookieFor(p: Principal): Promise<string> {
  return `next-auth.session-token=${await encode({ token: { uid: p.userId, sv: 0, sid: crypto.randomUUID() }, secret: authSecret() })}`;
}

async function apiKeyFor(owner: Principal, scopes: string[]): Promise<string> {
  const k = generateApiKey();
  await db.insert(apiKeys).values({ prefix: k.prefix, secretHash: k.secretHash, name: "test", ownerId: owner.userId, scopes });
  return k.key;
}

const req = browserRequest;
const params = (p: Record<string, string>) => ({ params: Promise.resolve(p) });
const positives = Object.keys(POSITIVE_SCORES);

describe("share and report routes", () => {
  let reader: Principal;
  let staff: string;
  let patient: string;
  let analysisId: string;

  beforeAll(async () => {
    ({ reader, analysisId } = await seedSignedOffAnalysis());
    staff = await cookieFor(reader);
    patient = await cookieFor(await seedUser("patient"));
  });

  it("lets staff create, list and revoke links; refuses anonymous, patients and bad input", async () => {
    const path = `/api/analyses/${analysisId}/shares`;
    const p = params({ id: analysisId });
    expect((await sharesRoute.POST(req(path, { method: "POST", body: {} }), p)).status).toBe(401);
    expect((await sharesRoute.POST(req(path, { method: "POST", cookie: patient, body: {} }), p)).status).toBe(403);
    const bad = await sharesRoute.POST(req(path, { method: "POST", cookie: staff, body: { expiresInDays: 0, accessCode: "abc" } }), p);
    expect(bad.status).toBe(400);
    expect((await bad.json()).detail).toMatch(/expiresInDays|access code/i);
    expect((await sharesRoute.GET(req("/api/analyses/x/shares", { cookie: staff }), params({ id: "x" }))).status).toBe(404);

    const created = await sharesRoute.POST(req(path, { method: "POST", cookie: staff, body: { expiresInDays: 14, accessCode: "" } }), p);
    expect(created.status).toBe(201);
    const body = (await created.json()) as { url: string; share: { id: string; hasAccessCode: boolean } };
    expect(body.url).toMatch(/^http:\/\/localhost:3000\/share\/[A-Za-z0-9_-]{43}$/);
    expect(body.share.hasAccessCode).toBe(false);

    const list = await (await sharesRoute.GET(req(path, { cookie: staff }), p)).json();
    expect(list.shares.map((s: { id: string }) => s.id)).toContain(body.share.id);
    expect(JSON.stringify(list)).not.toContain(body.url.split("/").pop());

    const token = body.url.split("/").pop()!;
    const pdfPath = `/share/${token}/report.pdf`;
    expect((await sharePdfRoute.GET(req(pdfPath), params({ token }))).status).toBe(200);

    const del = `/api/shares/${body.share.id}`;
    expect((await revokeRoute.DELETE(req(del, { method: "DELETE", cookie: patient }), params({ shareId: body.share.id }))).status).toBe(403);
    expect((await revokeRoute.DELETE(req(del, { method: "DELETE", cookie: staff }), params({ shareId: body.share.id }))).status).toBe(204);
    const after = await sharePdfRoute.GET(req(pdfPath), params({ token }));
    expect(after.status).toBe(404);
    expect(after.headers.get("content-type")).toBe("application/problem+json");
  });

  it("answers 409 for an analysis that is not signed off", async () => {
    const unsigned = await seedAnalysis({ uploadedBy: reader.userId });
    const res = await sharesRoute.POST(req(`/api/analyses/${unsigned}/shares`, { method: "POST", cookie: staff, body: {} }), params({ id: unsigned }));
    expect(res.status).toBe(409);
    expect((await res.json()).code).toBe("not_signed_off");
  });

  it("gates a code-protected link: 403 before the code, 403 for a wrong one, 429 + Retry-After, then the right code opens it", async () => {
    const created = await sharesRoute.POST(
      req(`/api/analyses/${analysisId}/shares`, { method: "POST", cookie: staff, body: { accessCode: "otter-5521" } }),
      params({ id: analysisId }),
    );
    const token = ((await created.json()) as { url: string }).url.split("/").pop()!;
    const pdfPath = `/share/${token}/report.pdf`;
    const locked = await sharePdfRoute.GET(req(pdfPath), params({ token }));
    expect(locked.status).toBe(403);
    expect((await locked.json()).code).toBe("access_code_required");

    const ip = fromAddress("203.0.113.99");
    const access = `/share/${token}/access`;
    for (let i = 0; i < 5; i++) {
      const wrong = await accessRoute.POST(req(access, { method: "POST", body: { code: `nope-${i}` }, headers: ip }), params({ token }));
      expect(wrong.status).toBe(403);
      expect(wrong.headers.get("set-cookie")).toBeNull();
    }
    const limited = await accessRoute.POST(req(access, { method: "POST", body: { code: "otter-5521" }, headers: ip }), params({ token }));
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(800);

    const ok = await accessRoute.POST(req(access, { method: "POST", body: { code: "otter-5521" }, headers: fromAddress("198.51.100.4") }), params({ token }));
    expect(ok.status).toBe(204);
    const setCookie = ok.headers.get("set-cookie")!;
    expect(setCookie).toContain(`Path=/share/${token}`);
    expect(setCookie).toContain("HttpOnly");
    const cookie = setCookie.split(";")[0];
    const pdf = await sharePdfRoute.GET(req(pdfPath, { cookie }), params({ token }));
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get("referrer-policy")).toBe("no-referrer");
    expect(pdf.headers.get("cache-control")).toContain("no-store");

    const heat = await heatmapRoute.GET(req(`/share/${token}/heatmap/7`, { cookie }), params({ token, position: "7" }));
    expect(heat.status).toBe(200); // position 7 is Effusion, positive
    expect(heat.headers.get("content-type")).toBe("image/jpeg");
    const meta = await sharp(Buffer.from(await heat.arrayBuffer())).metadata();
    expect([meta.width, meta.height]).toEqual([512, 512]);
    expect((await imageRoute.GET(req(`/share/${token}/image.png`), params({ token }))).status).toBe(403);
    expect((await imageRoute.GET(req(`/share/${token}/image.png`, { cookie }), params({ token }))).status).toBe(200);
    // Heatmaps exist only for positive findings (position 1 is Consolidation, scored negative).
    expect((await heatmapRoute.GET(req(`/share/${token}/heatmap/1`, { cookie }), params({ token, position: "1" }))).status).toBe(404);
    expect((await heatmapRoute.GET(req(`/share/${token}/heatmap/x`, { cookie }), params({ token, position: "x" }))).status).toBe(404);
  });

  it("serves the staff PDF with every positive finding, the impression and the reviewer", async () => {
    const path = `/api/analyses/${analysisId}/report.pdf`;
    expect((await reportPdfRoute.GET(req(path, { cookie: patient }), params({ id: analysisId }))).status).toBe(403);
    const res = await reportPdfRoute.GET(req(path, { cookie: staff }), params({ id: analysisId }));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/pdf");
    const text = (await extractPdfText(Buffer.from(await res.arrayBuffer()))).replace(/\s+/g, " ");
    for (const label of positives) expect(text).toContain(label);
    // Each positive finding also has its heatmap in the PDF, captioned with its name.
    for (const label of positives) expect(text).toContain(`Heatmap: ${label}`);
    expect(text).toContain(IMPRESSION);
    expect(text).toContain("Dr Share Reader");
    expect(text).toContain("UNTRAINED");
    const unsigned = await seedAnalysis({ uploadedBy: reader.userId });
    expect((await reportPdfRoute.GET(req(`/api/analyses/${unsigned}/report.pdf`, { cookie: staff }), params({ id: unsigned }))).status).toBe(404);
  });

  it("exports a schema-valid FHIR R4 Bundle to a key with reports:read and refuses the others", async () => {
    const path = `/api/v1/analyses/${analysisId}/fhir`;
    const p = params({ id: analysisId });
    const good = await apiKeyFor(reader, ["reports:read"]);
    const narrow = await apiKeyFor(reader, ["analyses:read"]);
    expect((await fhirRoute.GET(req(path), p)).status).toBe(401);
    expect((await fhirRoute.GET(req(path, { headers: { authorization: "Bearer nonsense" } }), p)).status).toBe(401);
    expect((await fhirRoute.GET(req(path, { headers: { authorization: `Bearer ${narrow}` } }), p)).status).toBe(403);
    expect((await fhirRoute.GET(req(path, { cookie: patient }), p)).status).toBe(403);

    const res = await fhirRoute.GET(req(path, { headers: { authorization: `Bearer ${good}` } }), p);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("application/fhir+json");
    const bundle = await res.json();
    expect(new JSONSchemaValidator().validate(bundle)).toEqual([]);
    const resources = bundle.entry.map((e: { resource: { resourceType: string } }) => e.resource);
    const report = resources.find((r: { resourceType: string }) => r.resourceType === "DiagnosticReport");
    expect(report.conclusion).toBe(IMPRESSION);
    expect(resources.filter((r: { resourceType: string }) => r.resourceType === "Observation")).toHaveLength(18);
    expect(report.performer[0].display).toBe("Dr Share Reader");

    // The staff session works as well; an unsigned analysis has no report yet.
    expect((await fhirRoute.GET(req(path, { cookie: staff }), p)).status).toBe(200);
    const unsigned = await seedAnalysis({ uploadedBy: reader.userId });
    expect((await fhirRoute.GET(req(`/api/v1/analyses/${unsigned}/fhir`, { cookie: staff }), params({ id: unsigned }))).status).toBe(404);
  });

  it("answers an expired link with a calm 410 page", async () => {
    const res = await expiredRoute.GET(req("/share/expired"));
    expect(res.status).toBe(410);
    expect(res.headers.get("x-robots-tag")).toContain("noindex");
    expect(await res.text()).toContain("This link has expired");
  });
});
