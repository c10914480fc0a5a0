// Integration (PostgreSQL, the real queue, worker and untrained demo model): GET /api/v1/analyses/{id}
// with `Prefer: wait` (RFC 7240) held until the analysis finishes — woken by the finishing worker's
// notification, not by polling: the database look-up meant for lost notifications is set to every
// 120 s here, so an answer within seconds can only have come from the notification — and a poll
// refused for coming too soon let through as soon as its analysis finished.
import { afterAll, vi } from "vitest";

const dropDb = await vi.hoisted(async () => {
  process.env.MODEL_DIR = `${process.env.DATA_DIR}/model-v1-read-wait`;
  process.env.STORAGE_DIR = `${process.env.DATA_DIR}/storage-v1-read-wait`;
  process.env.WAIT_POLL_SECONDS = "120";
  process.env.RATE_LIMIT_PER_KEY = "0";
  process.env.RATE_LIMIT_PER_IP = "0";
  return (await import("@/test/support/isolated-database")).useIsolatedDatabase();
});
afterAll(() => dropDb());

import crypto from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import * as readRoute from "@/app/api/v1/analyses/[id]/route";
import * as route from "@/app/api/v1/analyses/route";
import { notePollAnswer } from "@/lib/api/v1/poll-pace";
import { Analysis, AnalysisDetail, Problem } from "@/lib/api/v1/schemas";
import { closeAllModels } from "@/lib/inference";
import { startAnalysisWorker, stopAnalysisWorker } from "@/lib/jobs/analysis-worker";
import { syntheticFilmPng } from "@/test/support/imaging/synthetic-film";
import { call, createTestKey, createTestUser } from "@/test/support/principals";
import { ensureDemoModel } from "@/test/support/test-model";

const auth = (key: string) => ({ authorization: `Bearer ${key}` });

describe("GET /api/v1/analyses/{id} with Prefer: wait", () => {
  let key: string;
  let seed = 700;

  async function upload(): Promise<{ id: string; retryAfter: number }> {
    const form = new FormData();
    form.append("file", new File([new Uint8Array(await syntheticFilmPng(seed++, 256))], `chest-${seed}.png`, { type: "image/png" }));
    const res = await call(route.POST, "/api/v1/analyses", { method: "POST", headers: auth(key), body: form });
    expect(res.status).toBe(202);
    return { id: Analysis.parse(await res.json()).id, retryAfter: Number(res.headers.get("retry-after")) };
  }
  const get = (id: string, headers: Record<string, string>) => call(readRoute.GET, `/api/v1/analyses/${id}`, { headers, params: { id } });

  beforeAll(async () => {
    await ensureDemoModel();
    const rad = await createTestUser("radiologist");
    key = (await createTestKey(rad.user, ["analyses:read", "analyses:write"])).key;
  });
  afterAll(async () => {
    await stopAnalysisWorker();
    await closeAllModels();
  });

  it("holds a queued analysis's answer for the wait, then answers what it is with Retry-After; an unknown id is a 404 at once", async () => {
    const { id, retryAfter } = await upload(); // no worker yet: it stays queued
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    const wait = retryAfter + 1;
    let t = performance.now();
    const held = await get(id, { ...auth(key), prefer: `wait=${wait}` });
    const heldSeconds = (performance.now() - t) / 1000;
    expect(held.status).toBe(200);
    expect(heldSeconds).toBeGreaterThanOrEqual(wait - 0.1);
    expect(held.headers.get("preference-applied")).toBe(`wait=${wait}`);
    expect(AnalysisDetail.parse(await held.json())).toMatchObject({ id, status: "queued", queuePosition: 1 });
    expect(Number(held.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);

    t = performance.now();
    const foreign = await get(crypto.randomUUID(), { ...auth(key), prefer: "wait=30" });
    expect(foreign.status).toBe(404);
    expect((performance.now() - t) / 1000).toBeLessThan(5);
    Problem.parse(await foreign.json());
  });

  it("answers as soon as the worker finishes the analysis (its notification), long before the wait or the database look-up", async () => {
    const { id } = await upload();
    const waiting = (async () => {
      const t = performance.now();
      const res = await get(id, { ...auth(key), prefer: "wait=60" });
      return { res, seconds: (performance.now() - t) / 1000 };
    })();
    await new Promise((r) => setTimeout(r, 300));
    await startAnalysisWorker("web");
    const { res, seconds } = await waiting;
    expect(res.status).toBe(200);
    expect(res.headers.get("preference-applied")).toBe("wait=60");
    expect(res.headers.get("retry-after")).toBeNull();
    expect(res.headers.get("etag")).toMatch(/^"/);
    const done = AnalysisDetail.parse(await res.json());
    expect(done).toMatchObject({ id, status: "completed", queuePosition: null });
    expect(done.findings).toHaveLength(18);
    expect(seconds).toBeLessThan(60);
    // A wait on a finished analysis answers at once.
    const t = performance.now();
    expect((await get(id, { ...auth(key), prefer: "wait=60" })).status).toBe(200);
    expect((performance.now() - t) / 1000).toBeLessThan(5);
  });

  it("a poll refused for coming before Retry-After is let through once the analysis finished", async () => {
    await stopAnalysisWorker();
    const { id } = await upload();
    // As if the queue had been long: told to come back in 30 s.
    notePollAnswer(new Request("http://x", { headers: auth(key) }), id, 30);
    const early = await get(id, auth(key));
    expect(early.status).toBe(429);
    expect(Number(early.headers.get("retry-after"))).toBeGreaterThanOrEqual(25);
    // A wait shorter than the time left is refused as well; one as long is held instead.
    expect((await get(id, { ...auth(key), prefer: "wait=5" })).status).toBe(429);
    await startAnalysisWorker("web");
    const t = performance.now();
    let res = early;
    while (res.status === 429 && performance.now() - t < 25_000) {
      await new Promise((r) => setTimeout(r, 200));
      res = await get(id, auth(key));
    }
    expect(res.status).toBe(200);
    expect(AnalysisDetail.parse(await res.json()).status).toBe("completed");
  });
});
