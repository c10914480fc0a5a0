// Integration (PostgreSQL): the anatomy routes. A stored segmentation (synthetic masks: a rectangle heart
// between two rectangle lungs) comes back as outlines on the film, the measured CTR with its lines, the
// 14 target names and, on request, the packed masks; a queued one says so; an unknown or malformed id is
// a 404; the answer matches the published schema.
import { afterAll, vi } from "vitest";

const dropDb = await vi.hoisted(async () => (await import("@/test/support/isolated-database")).useIsolatedDatabase());
afterAll(() => dropDb());

import { beforeAll, describe, expect, it } from "vitest";
import * as v1Route from "@/app/api/v1/analyses/[id]/anatomy/route";
import * as sessionRoute from "@/app/api/analyses/[id]/anatomy/route";
import { recordAnatomyQueued, saveAnatomy } from "@/lib/analyses/anatomy-store";
import { measureCtr } from "@/lib/anatomy/ctr";
import type { AnatomySummary } from "@/lib/anatomy/run-models";
import { Anatomy } from "@/lib/api/v1/anatomy-schema";
import { db } from "@/lib/db/client";
import { call, createTestKey, createTestUser, sessionCookie } from "@/test/support/principals";
import { seedAnalysis } from "@/test/support/triage/seed";

const TARGETS = ["Left Clavicle", "Right Clavicle", "Left Scapula", "Right Scapula", "Left Lung", "Right Lung", "Left Hilus Pulmonis", "Right Hilus Pulmonis", "Heart", "Aorta", "Facies Diaphragmatica", "Mediastinum", "Weasand", "Spine"];
const S = 512;

function rect(x0: number, y0: number, x1: number, y1: number): Uint8Array {
  const m = new Uint8Array(S * S);
  for (let y = y0; y < y1; y++) m.fill(1, y * S + x0, y * S + x1);
  return m;
}

function pack(masks: (Uint8Array | null)[]): Uint8Array {
  const out = new Uint8Array((TARGETS.length * S * S) / 8);
  masks.forEach((m, t) => {
    if (!m) return;
    for (let i = 0; i < S * S; i++) if (m[i]) out[(t * S * S + i) >> 3] |= 0x80 >> ((t * S * S + i) & 7);
  });
  return out;
}

describe("anatomy routes", () => {
  let key: string;
  let cookie: string;
  let id: string;
  let queued: string;

  beforeAll(async () => {
    const rad = await createTestUser("radiologist");
    key = (await createTestKey(rad.user, ["analyses:read"])).key;
    cookie = await sessionCookie(rad.user);
    // The seeded film is 512 x 512, so the model frame is the film.
    id = await seedAnalysis({ uploadedBy: rad.user.id });
    queued = await seedAnalysis({ uploadedBy: rad.user.id });
    // Image right = patient's left: Left Lung on the right of the image.
    const rightLung = rect(60, 100, 230, 420);
    const leftLung = rect(280, 100, 460, 420);
    const heart = rect(200, 260, 330, 400);
    const ctr = measureCtr({ heart, leftLung, rightLung }, S, S);
    const masks = TARGETS.map((_, t) => (t === 4 ? leftLung : t === 5 ? rightLung : t === 8 ? heart : null));
    const summary: AnatomySummary = {
      model: { name: "chestx-det-pspnet", version: "test", trained: false },
      ctr: { ratio: ctr.ratio, heartWidth: ctr.heart.width, thoracicWidth: ctr.thorax.width, heartRow: ctr.heart.row, thoracicRow: ctr.thorax.row },
      film: { heart: { row: 260.5, left: 200, right: 330, widthPx: 130, widthMm: null }, thorax: { row: 100.5, left: 60, right: 460, widthPx: 400, widthMm: null }, pixelSpacing: null },
      maskPixels: masks.map((m) => (m ? m.reduce((a, b) => a + b, 0) : 0)),
      targets: TARGETS,
      findingZones: { Effusion: "right lower zone" },
      projection: "AP",
      apNote: "AP film: the cardiothoracic ratio is overestimated on an AP projection (the heart is magnified).",
    };
    await saveAnatomy(id, summary, pack(masks));
    await recordAnatomyQueued(db, queued);
  });

  const v1 = (analysisId: string, query?: Record<string, string>) => call(v1Route.GET, `/api/v1/analyses/${analysisId}/anatomy`, { headers: { authorization: `Bearer ${key}` }, params: { id: analysisId }, query });

  it("answers the outlines, the measured CTR with its lines and the 14 targets, by the published schema", async () => {
    const res = await v1(id);
    expect(res.status).toBe(200);
    const body = Anatomy.parse(await res.json());
    expect(body).toMatchObject({ status: "completed", measuredBy: "software", projection: "AP", apNote: expect.stringMatching(/overestimated/), findingZones: { Effusion: "right lower zone" } });
    expect(body.ctr).toEqual({ ratio: 130 / 400, heartWidth: 130, thoracicWidth: 400, heartRow: 260, thoracicRow: 100 });
    expect(body.structures.map((s) => s.name)).toEqual(TARGETS);
    const heart = body.structures[8];
    expect(heart.outlines).toHaveLength(1);
    const xs = heart.outlines[0].filter((_, i) => i % 2 === 0);
    const ys = heart.outlines[0].filter((_, i) => i % 2 === 1);
    expect([Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)]).toEqual([200, 330, 260, 400]);
    expect(body.structures[0].outlines).toEqual([]);
    expect(body.masks).toBeUndefined();
  });

  it("adds the packed masks on request", async () => {
    const body = Anatomy.parse(await (await v1(id, { masks: "packed" })).json());
    expect(body.masks).toMatchObject({ encoding: "packbits", size: 512, targets: 14 });
    expect(Buffer.from(body.masks!.base64, "base64")).toHaveLength((14 * S * S) / 8);
  });

  it("says queued before the segmentation ran and not_requested when none was queued", async () => {
    expect(Anatomy.parse(await (await v1(queued)).json())).toMatchObject({ status: "queued", structures: [], ctr: null });
    const none = await seedAnalysis({ uploadedBy: (await createTestUser("radiologist")).user.id });
    expect((await (await v1(none)).json()).status).toBe("not_requested");
  });

  it("answers 404 for an unknown or malformed id and 400 for an unknown query value", async () => {
    expect((await v1(crypto.randomUUID())).status).toBe(404);
    expect((await v1("not-a-uuid")).status).toBe(404);
    expect((await v1(id, { masks: "raw" })).status).toBe(400);
  });

  it("serves the same to the signed-in viewer, without masks, and nothing to a patient without a share", async () => {
    const res = await call(sessionRoute.GET, `/api/analyses/${id}/anatomy`, { headers: { cookie }, params: { id } });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.status).toBe("completed");
    expect(body.structures[4].outlines[0].length).toBeGreaterThanOrEqual(8);
    expect(body.masks).toBeUndefined();
    const patient = await sessionCookie((await createTestUser("patient")).user);
    expect((await call(sessionRoute.GET, `/api/analyses/${id}/anatomy`, { headers: { cookie: patient }, params: { id } })).status).toBe(403);
  });
});
