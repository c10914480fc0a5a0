// Integration: each reader's own review draft over HTTP (session cookie -> defineRoute -> PostgreSQL):
// saved as typed, seen by its writer only, gone once the review is signed off, refused on a locked review
// and from another site.
import crypto from "node:crypto";
import { encode } from "next-auth/jwt";
import { beforeAll, describe, expect, it } from "vitest";
import * as draftRoute from "@/app/api/analyses/[id]/review/draft/route";
import * as reviewRoute from "@/app/api/analyses/[id]/review/route";
import * as signOffRoute from "@/app/api/analyses/[id]/review/sign-off/route";
import type { Principal } from "@/lib/auth/principal";
import { authSecret } from "@/lib/auth/secret";
import { seedAnalysis, seedUser, XRV_LABELS } from "@/test/support/triage/seed";
import { browserRequest } from "@/test/support/principals";

async function cookieFor(p: Principal): Promise<string> {
  const token = await encode({ token: { uid: p.userId, sv: 0, sid: crypto.randomUUID() }, secret: authSecret() });
  return `next-auth.session-token=${token}`;
}

const req = (path: string, init?: Parameters<typeof browserRequest>[1]) => browserRequest(path, init, "http://localhost");
const params = (id: string) => ({ params: Promise.resolve({ id }) });

describe("own review drafts", () => {
  let first: string;
  let second: string;
  let analysisId: string;
  let path: string;

  beforeAll(async () => {
    const me = await seedUser("radiologist", "Draft reader");
    first = await cookieFor(me);
    second = await cookieFor(await seedUser("radiologist", "Other reader"));
    analysisId = await seedAnalysis({ uploadedBy: me.userId, scores: { Effusion: 0.9 }, accessionNumber: "DR-1" });
    path = `/api/analyses/${analysisId}/review/draft`;
  });

  const draftOf = async (cookie: string) => (await (await draftRoute.GET(req(path, { cookie }), params(analysisId))).json()).draft;

  it("keeps a typed draft for its writer alone, and never as the review's version", async () => {
    expect(await draftOf(first)).toBeNull();
    const saved = await draftRoute.PUT(req(path, { method: "PUT", cookie: first, body: { impression: "Lungs clear.", decisions: { Effusion: "disagree" } } }), params(analysisId));
    expect(saved.status).toBe(200);
    const { savedAt } = await saved.json();
    expect(Date.parse(savedAt)).toBeGreaterThan(Date.now() - 60_000);

    const mine = await draftOf(first);
    expect(mine.content.impression).toBe("Lungs clear.");
    expect(mine.content.decisions).toEqual({ Effusion: "disagree" });
    expect(await draftOf(second)).toBeNull();
    // The shared review has no version from a draft being typed.
    const review = await (await reviewRoute.GET(req(`/api/analyses/${analysisId}/review`, { cookie: second }), params(analysisId))).json();
    expect(review.versions).toEqual([]);

    // Saving again replaces it (one draft per reader and analysis).
    await draftRoute.PUT(req(path, { method: "PUT", cookie: first, body: { impression: "Lungs clear. Heart normal." } }), params(analysisId));
    expect((await draftOf(first)).content.impression).toBe("Lungs clear. Heart normal.");
  });

  it("refuses a malformed draft, an unknown analysis and a request from another site", async () => {
    const bad = await draftRoute.PUT(req(path, { method: "PUT", cookie: first, body: { impression: 7 } }), params(analysisId));
    expect(bad.status).toBe(400);
    const unknown = crypto.randomUUID();
    const missing = await draftRoute.PUT(req(`/api/analyses/${unknown}/review/draft`, { method: "PUT", cookie: first, body: {} }), params(unknown));
    expect(missing.status).toBe(404);
    const foreign = await draftRoute.PUT(
      new Request(`http://localhost${path}`, { method: "PUT", headers: { cookie: first, origin: "https://evil.example", "content-type": "application/json" }, body: "{}" }),
      params(analysisId),
    );
    expect(foreign.status).toBe(403);
  });

  it("removes every reader's draft at sign-off and refuses new ones on the locked review", async () => {
    await draftRoute.PUT(req(path, { method: "PUT", cookie: second, body: { impression: "Second opinion." } }), params(analysisId));
    expect((await draftOf(second)).content.impression).toBe("Second opinion.");
    const decisions = Object.fromEntries(XRV_LABELS.map((l) => [l, "agree"]));
    const signed = await signOffRoute.POST(
      req(`/api/analyses/${analysisId}/review/sign-off`, { method: "POST", cookie: first, body: { decisions, impression: "Effusion." } }),
      params(analysisId),
    );
    expect(signed.status).toBe(200);
    expect(await draftOf(first)).toBeNull();
    expect(await draftOf(second)).toBeNull();
    const late = await draftRoute.PUT(req(path, { method: "PUT", cookie: first, body: { impression: "late" } }), params(analysisId));
    expect(late.status).toBe(409);
    expect((await late.json()).code).toBe("review_locked");
  });
});
