// Integration: the workspace route handlers end to end (session cookie -> defineRoute -> PostgreSQL),
// including the refusals: anonymous 401, wrong role 403, malformed input 4xx, locked review 409.
import { afterAll, vi } from "vitest";

// Changes site thresholds (global state) through the settings route: a database of its own.
const dropDb = await vi.hoisted(async () => (await import("@/test/support/isolated-database")).useIsolatedDatabase());
afterAll(() => dropDb());

import crypto from "node:crypto";
import { encode } from "next-auth/jwt";
import { beforeAll, describe, expect, it } from "vitest";
import * as amendRoute from "@/app/api/analyses/[id]/review/amend/route";
import * as reviewRoute from "@/app/api/analyses/[id]/review/route";
import * as signOffRoute from "@/app/api/analyses/[id]/review/sign-off/route";
import * as settingsRoute from "@/app/api/settings/triage/route";
import * as statsRoute from "@/app/api/stats/[chart]/route";
import * as worklistRoute from "@/app/api/worklist/route";
import type { Principal } from "@/lib/auth/principal";
import { authSecret } from "@/lib/auth/secret";
import { seedAnalysis, seedUser, XRV_LABELS } from "@/test/support/triage/seed";
import { browserRequest } from "@/test/support/principals";

async function cookieFor(p: Principal): Promise<string> {
  const token = await encode({ token: { uid: p.userId, sv: 0, sid: crypto.randomUUID() }, secret: authSecret() });
  return `next-auth.session-token=${token}`;
}

const req = (path: string, init?: Parameters<typeof browserRequest>[1]) => browserRequest(path, init, "http://localhost");
const params = (p: Record<string, string>) => ({ params: Promise.resolve(p) });

describe("workspace routes", () => {
  let radiologist: string;
  let admin: string;
  let patient: string;
  let me: Principal;
  let analysisId: string;

  beforeAll(async () => {
    me = await seedUser("radiologist", "Route reader");
    radiologist = await cookieFor(me);
    admin = await cookieFor(await seedUser("admin"));
    patient = await cookieFor(await seedUser("patient"));
    analysisId = await seedAnalysis({ uploadedBy: me.userId, scores: { Effusion: 0.9 }, accessionNumber: "RT-1" });
  });

  it("admits staff only to the worklist, with filters in the body", async () => {
    expect((await worklistRoute.POST(req("/api/worklist", { method: "POST", body: {} }))).status).toBe(401);
    expect((await worklistRoute.POST(req("/api/worklist", { method: "POST", cookie: patient, body: {} }))).status).toBe(403);
    const bad = await worklistRoute.POST(req("/api/worklist", { method: "POST", cookie: radiologist, body: { triage: "urgent" } }));
    expect(bad.status).toBe(400);
    expect(bad.headers.get("content-type")).toBe("application/problem+json");
    const ok = await worklistRoute.POST(req("/api/worklist", { method: "POST", cookie: radiologist, body: { q: "RT-1", uploader: me.userId } }));
    expect(ok.status).toBe(200);
    const page = await ok.json();
    expect(page.rows.map((r: { id: string }) => r.id)).toEqual([analysisId]);
  });

  it("runs a review through draft, sign-off, lock and amendment over HTTP", async () => {
    const path = `/api/analyses/${analysisId}/review`;
    expect((await reviewRoute.GET(req(path, { cookie: patient }), params({ id: analysisId }))).status).toBe(403);
    expect((await reviewRoute.GET(req("/api/analyses/not-a-uuid/review", { cookie: radiologist }), params({ id: "not-a-uuid" }))).status).toBe(404);
    const bad = await reviewRoute.PUT(req(path, { method: "PUT", cookie: radiologist, body: "{not json" }), params({ id: analysisId }));
    expect(bad.status).toBe(400);

    const decisions = { ...Object.fromEntries(XRV_LABELS.map((l) => [l, "agree"])), Effusion: "disagree" };
    const draft = await reviewRoute.PUT(req(path, { method: "PUT", cookie: radiologist, body: { decisions, impression: "No effusion." } }), params({ id: analysisId }));
    expect(draft.status).toBe(200);
    expect((await draft.json()).status).toBe("in_review");

    const signed = await signOffRoute.POST(req(`${path}/sign-off`, { method: "POST", cookie: radiologist, body: { decisions, impression: "No effusion." } }), params({ id: analysisId }));
    expect(signed.status).toBe(200);
    const signedBody = await signed.json();
    expect(signedBody.status).toBe("signed_off");
    expect(signedBody.report).toContain("- Effusion: not confirmed (AI 0.90, overruled).");

    const locked = await reviewRoute.PUT(req(path, { method: "PUT", cookie: radiologist, body: { decisions, impression: "changed" } }), params({ id: analysisId }));
    expect(locked.status).toBe(409);
    expect((await locked.json()).code).toBe("review_locked");

    const noReason = await amendRoute.POST(req(`${path}/amend`, { method: "POST", cookie: radiologist, body: { decisions, baseVersion: 1 } }), params({ id: analysisId }));
    expect(noReason.status).toBe(400);
    const amended = await amendRoute.POST(
      req(`${path}/amend`, { method: "POST", cookie: radiologist, body: { decisions, impression: "Tiny effusion? No.", reason: "Typo in impression", baseVersion: 1 } }),
      params({ id: analysisId }),
    );
    expect(amended.status).toBe(200);
    const state = await (await reviewRoute.GET(req(path, { cookie: radiologist }), params({ id: analysisId }))).json();
    expect(state.versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    expect(state.report).toContain("amended: Typo in impression");
  });

  it("serves chart CSVs and refuses unknown charts and periods", async () => {
    const csv = await statsRoute.GET(req("/api/stats/agreement?days=30", { cookie: radiologist }), params({ chart: "agreement" }));
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(csv.headers.get("content-disposition")).toBe('attachment; filename="cxr-agreement-last-30-days.csv"');
    expect((await csv.text()).split("\r\n")[0]).toMatch(/^finding,true_positive,/);
    expect((await statsRoute.GET(req("/api/stats/bogus", { cookie: radiologist }), params({ chart: "bogus" }))).status).toBe(404);
    // One uploader's numbers: this file's single study is abnormal (Effusion 0.9).
    const mine = await statsRoute.GET(req(`/api/stats/triage?uploader=${me.userId}`, { cookie: radiologist }), params({ chart: "triage" }));
    expect(await mine.text()).toBe("triage_level,studies\r\nCritical,0\r\nAbnormal,1\r\nNormal,0\r\nNot assessable,0\r\n");
    expect((await statsRoute.GET(req("/api/stats/triage?uploader=nobody", { cookie: radiologist }), params({ chart: "triage" }))).status).toBe(400);
    expect((await statsRoute.GET(req("/api/stats/volume?days=12", { cookie: radiologist }), params({ chart: "volume" }))).status).toBe(400);
    expect((await statsRoute.GET(req("/api/stats/volume", { cookie: patient }), params({ chart: "volume" }))).status).toBe(403);
  });

  it("lets staff read thresholds and only admins change them", async () => {
    const view = await (await settingsRoute.GET(req("/api/settings/triage", { cookie: radiologist }))).json();
    expect(view.labels.find((l: { label: string }) => l.label === "Pneumothorax")).toMatchObject({ threshold: 0.5, isDefault: true });
    const body = { thresholds: { Fracture: 0.9 } };
    expect((await settingsRoute.PATCH(req("/api/settings/triage", { method: "PATCH", cookie: radiologist, body }))).status).toBe(403);
    expect((await settingsRoute.PATCH(req("/api/settings/triage", { method: "PATCH", cookie: admin, body: { thresholds: { Fracture: 2 } } }))).status).toBe(400);
    const ok = await settingsRoute.PATCH(req("/api/settings/triage", { method: "PATCH", cookie: admin, body }));
    expect(ok.status).toBe(200);
    expect((await ok.json()).labels.find((l: { label: string }) => l.label === "Fracture")).toMatchObject({ threshold: 0.9 });
    const reset = await settingsRoute.PATCH(req("/api/settings/triage", { method: "PATCH", cookie: admin, body: { thresholds: { Fracture: null } } }));
    expect((await reset.json()).labels.find((l: { label: string }) => l.label === "Fracture")).toMatchObject({ threshold: 0.5, isDefault: true });
  });
});
