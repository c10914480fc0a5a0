// Integration (PostgreSQL + the real demo model): the v1 read routes through defineRoute, with every
// kind of credential, pagination and filters, and responses checked against the published schemas.
import { afterAll, vi } from "vitest";

// Seeds analyses: a database of its own keeps them out of other files' counts (statistics, worklist).
const dropDb = await vi.hoisted(async () => (await import("@/test/support/isolated-database")).useIsolatedDatabase());
afterAll(() => dropDb());

vi.hoisted(() => {
  process.env.MODEL_DIR = `${process.env.DATA_DIR}/model-v1-read`;
});

import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import * as oneRoute from "@/app/api/v1/analyses/[id]/route";
import * as listRoute from "@/app/api/v1/analyses/route";
import * as modelsRoute from "@/app/api/v1/models/route";
import { db } from "@/lib/db/client";
import { auditEvents, findings } from "@/lib/db/schema";
import { closeAllModels } from "@/lib/inference";
import { keyCases } from "@/test/support/key-cases";
import { call, createTestKey, createTestUser } from "@/test/support/principals";
import { ensureDemoModel } from "@/test/support/test-model";
import { seedAnalysis, XRV_LABELS } from "@/test/support/triage/seed";
import { Analysis, AnalysisPage, ModelList, Problem } from "@/lib/api/v1/schemas";

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

describe("v1 read routes", () => {
  let key: string;
  let ids: string[];
  let uploaderId: string;

  beforeAll(async () => {
    await ensureDemoModel();
    const rad = await createTestUser("radiologist");
    uploaderId = rad.user.id;
    key = (await createTestKey(rad.user, ["analyses:read"])).key;
    // Five analyses a minute apart (oldest first); the 2nd is critical (pneumothorax), the 4th failed.
    ids = [];
    for (let i = 0; i < 5; i++) {
      ids.push(
        await seedAnalysis({
          uploadedBy: uploaderId,
          createdAt: new Date(Date.UTC(2030, 0, 1, 12, i)),
          scores: i === 1 ? { Pneumothorax: 0.9 } : {},
          status: i === 3 ? "failed" : "completed",
        }),
      );
    }
  });
  afterAll(closeAllModels);

  const routes = [
    { name: "GET /api/v1/analyses", run: (h: Record<string, string>) => call(listRoute.GET, "/api/v1/analyses", { headers: h }), ok: 200 },
    { name: "GET /api/v1/analyses/{id}", run: (h: Record<string, string>) => call(oneRoute.GET, `/api/v1/analyses/${ids[0]}`, { headers: h, params: { id: ids[0] } }), ok: 200 },
    { name: "GET /api/v1/models", run: (h: Record<string, string>) => call(modelsRoute.GET, "/api/v1/models", { headers: h }), ok: 200 },
  ];

  for (const route of routes) {
    it(`${route.name}: valid key passes; missing, malformed, unknown, revoked, expired, under-scoped and ownerless keys are refused`, async () => {
      const { valid, failing } = await keyCases(["analyses:read"]);
      expect((await route.run(bearer(valid))).status).toBe(route.ok);
      for (const c of failing) {
        const res = await route.run(c.authorization ? { authorization: c.authorization } : {});
        expect.soft(res.status, c.name).toBe(c.status);
        expect(res.headers.get("content-type"), c.name).toBe("application/problem+json");
        const problem = Problem.parse(await res.json());
        expect.soft(problem.detail, c.name).toMatch(c.detail);
      }
    });
  }

  it("returns one analysis with its 18 findings in model order, audits the view, 404s unknown and malformed ids", async () => {
    const res = await call(oneRoute.GET, `/api/v1/analyses/${ids[1]}`, { headers: bearer(key), params: { id: ids[1] } });
    const a = Analysis.parse(await res.json());
    expect(a).toMatchObject({ id: ids[1], status: "completed", triageLevel: "critical", model: { trained: false } });
    // A finished analysis carries an entity tag; asking with it answers 304 without a body.
    const etag = res.headers.get("etag")!;
    expect(etag).toMatch(/^"[\w-]+"$/);
    const again = await call(oneRoute.GET, `/api/v1/analyses/${ids[1]}`, { headers: { ...bearer(key), "if-none-match": etag }, params: { id: ids[1] } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe("");
    const other = await call(oneRoute.GET, `/api/v1/analyses/${ids[1]}`, { headers: { ...bearer(key), "if-none-match": '"other"' }, params: { id: ids[1] } });
    expect(other.status).toBe(200);
    expect(a.findings).toHaveLength(18);
    expect(a.findings[3]).toMatchObject({ label: "Pneumothorax", calibrated: expect.closeTo(0.9, 5), positive: true });
    const views = await db.select().from(auditEvents).where(eq(auditEvents.targetId, ids[1]));
    expect(views.map((v) => [v.action, v.actorUserId, v.actorApiKeyId !== null])).toEqual([
      ["analysis.view", uploaderId, true],
      ["analysis.view", uploaderId, true],
      ["analysis.view", uploaderId, true],
    ]);

    for (const id of [crypto.randomUUID(), "not-a-uuid", "1 or 1=1"]) {
      const miss = await call(oneRoute.GET, `/api/v1/analyses/${encodeURIComponent(id)}`, { headers: bearer(key), params: { id } });
      expect(miss.status).toBe(404);
    }
  });

  it("pages newest first with a cursor, filters, and refuses bad query values with 400", async () => {
    const window = { createdAfter: "2030-01-01T00:00:00Z", createdBefore: "2030-01-02T00:00:00Z" };
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await call(listRoute.GET, "/api/v1/analyses", { headers: bearer(key), query: { ...window, limit: "2", ...(cursor ? { cursor } : {}) } });
      expect(res.status).toBe(200);
      const page = AnalysisPage.parse(await res.json());
      seen.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual([...ids].reverse());

    const q = async (query: Record<string, string>) =>
      AnalysisPage.parse(await (await call(listRoute.GET, "/api/v1/analyses", { headers: bearer(key), query: { ...window, ...query } })).json()).items.map((i) => i.id);
    expect(await q({ triageLevel: "critical" })).toEqual([ids[1]]);
    expect(await q({ positive: "Pneumothorax" })).toEqual([ids[1]]);
    expect(await q({ status: "failed" })).toEqual([ids[3]]);
    expect(await q({ createdAfter: "2030-01-01T12:03:00Z" })).toEqual([ids[4], ids[3]]);

    for (const bad of [{ limit: "0" }, { limit: "abc" }, { status: "done" }, { createdAfter: "yesterday" }, { cursor: "garbage" }] as Record<string, string>[]) {
      const res = await call(listRoute.GET, "/api/v1/analyses", { headers: bearer(key), query: bad });
      expect.soft(res.status, JSON.stringify(bad)).toBe(400);
    }
  });

  it("lists the active model, untrained demo flagged", async () => {
    const res = await call(modelsRoute.GET, "/api/v1/models", { headers: bearer(key) });
    const { models } = ModelList.parse(await res.json());
    expect(models).toHaveLength(1);
    expect(models[0]).toMatchObject({ trained: false, active: true, executionProvider: "cpu", inputSize: 224 });
    expect(models[0].labels).toHaveLength(18);
  });

  it("never shows analyses to a key whose owner became a patient", async () => {
    const owner = await createTestUser("radiologist");
    const k = (await createTestKey(owner.user, ["analyses:read"])).key;
    expect((await call(listRoute.GET, "/api/v1/analyses", { headers: bearer(k) })).status).toBe(200);
    const { updateUser } = await import("@/lib/users/service");
    await updateUser({ actor: null, userId: owner.user.id, input: { role: "patient" } });
    const res = await call(listRoute.GET, "/api/v1/analyses", { headers: bearer(k) });
    expect(res.status).toBe(403);
  });

  it("gives every finding's numbers exactly as stored, in the model's order", async () => {
    const id = await seedAnalysis({ uploadedBy: uploaderId });
    // Doubles whose text is long or extreme: the read carries findings as JSON, the same double must come out.
    const unit = [0.1 + 0.2, 1e-87, 5e-324, 0.123456789012345678, 1 / 3, 0.9999999999999999, 2 ** -1074 * 3, 1 - 2 ** -53];
    const any = [1.7976931348623157e308, -200, -1 / 3, 123456789.12345679, -5e-324, 4.35e-26];
    const stored = await db.select().from(findings).where(eq(findings.analysisId, id)).orderBy(findings.position);
    for (const [i, f] of stored.entries()) {
      const set = { probability: unit[i % unit.length], calibrated: unit[(i + 3) % unit.length], logit: any[i % any.length] };
      await db.update(findings).set(set).where(and(eq(findings.analysisId, id), eq(findings.label, f.label)));
    }
    const expected = (await db.select().from(findings).where(eq(findings.analysisId, id)).orderBy(findings.position)).map((f) => ({
      label: f.label,
      assessed: true,
      probability: f.probability,
      calibrated: f.calibrated,
      positive: f.positive,
      logit: f.logit,
    }));
    const res = await call(oneRoute.GET, `/api/v1/analyses/${id}`, { headers: bearer(key), params: { id } });
    expect(res.status).toBe(200);
    const got = Analysis.parse(await res.json()).findings;
    expect(got.map((f) => f.label)).toEqual([...XRV_LABELS]);
    // As a client sees them (through JSON, where -0 is 0); toEqual compares numbers with Object.is.
    expect(got).toEqual(JSON.parse(JSON.stringify(expected)));
  });
});
