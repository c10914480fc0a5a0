// Integration: POST /api/v1/analyses with the real decoders, the real queue (pg-boss) and worker and the
// real (untrained demo) model on PostgreSQL: every kind of key, one and several files, bad requests,
// `Prefer: wait`, Idempotency-Key, and the limits (full queue 503, rate limit 429) with the guarantee
// that a refused request stores nothing and a retried one stores once.
import { afterAll, vi } from "vitest";

const dropDb = await vi.hoisted(async () => {
  process.env.MODEL_DIR = `${process.env.DATA_DIR}/model-v1-create`;
  process.env.STORAGE_DIR = `${process.env.DATA_DIR}/storage-v1-create`;
  process.env.QUEUE_MAX = "3";
  process.env.API_MAX_FILES = "3";
  process.env.MAX_UPLOAD_MB = "1";
  process.env.MAX_REQUEST_MB = "2";
  process.env.RATE_LIMIT_PER_KEY = "40";
  process.env.RATE_LIMIT_PER_IP = "0";
  return (await import("@/test/support/isolated-database")).useIsolatedDatabase();
});
afterAll(() => dropDb());

import fs from "node:fs";
import path from "node:path";
import { count, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import * as readRoute from "@/app/api/v1/analyses/[id]/route";
import * as route from "@/app/api/v1/analyses/route";
import { db } from "@/lib/db/client";
import { analyses, auditEvents } from "@/lib/db/schema";
import { storageDir } from "@/lib/env";
import { closeAllModels } from "@/lib/inference";
import { metrics } from "@/lib/metrics";
import { keyCases } from "@/test/support/key-cases";
import { call, createTestKey, createTestUser } from "@/test/support/principals";
import { syntheticFilmPng } from "@/test/support/imaging/synthetic-film";
import { ensureDemoModel } from "@/test/support/test-model";
import { queueDepth } from "@/lib/queue/depth";
import { startAnalysisWorker, stopAnalysisWorker } from "@/lib/jobs/analysis-worker";
import { Analysis, AnalysisBatch, Problem } from "@/lib/api/v1/schemas";

type Upload = { name: string; bytes: Uint8Array };

function form(files: Upload[]): FormData {
  const f = new FormData();
  for (const u of files) f.append("file", new File([new Uint8Array(u.bytes)], u.name, { type: "application/octet-stream" }));
  return f;
}

const post = (key: string, body: BodyInit, headers: Record<string, string> = {}) =>
  call(route.POST, "/api/v1/analyses", { method: "POST", headers: { authorization: `Bearer ${key}`, ...headers }, body });
/** An upload that waits for its result, as a client that needs the findings now would send it. */
const WAIT = { prefer: "wait=60" };

async function analysisCount(): Promise<number> {
  const [{ n }] = await db.select({ n: count() }).from(analyses);
  return n;
}

function storedFiles(): number {
  const walk = (dir: string): number =>
    fs.existsSync(dir) ? fs.readdirSync(dir, { withFileTypes: true }).reduce((n, d) => n + (d.isDirectory() ? walk(path.join(dir, d.name)) : 1), 0) : 0;
  return walk(storageDir);
}

const getOne = (key: string, id: string) =>
  call(readRoute.GET, `/api/v1/analyses/${id}`, { headers: { authorization: `Bearer ${key}` }, params: { id } });

/** Follows an analysis as a well-behaved client does: waiting as long as each Retry-After says. */
async function waitUntilFinished(key: string, id: string, firstRetryAfter = 0) {
  let wait = firstRetryAfter;
  for (let i = 0; i < 240; i++) {
    await new Promise((r) => setTimeout(r, wait * 1000));
    const res = await getOne(key, id);
    expect(res.status).toBe(200); // never 429 when Retry-After is followed
    const a = Analysis.parse(await res.json());
    if (a.status === "completed" || a.status === "failed") return a;
    wait = Number(res.headers.get("retry-after"));
    expect(wait).toBeGreaterThanOrEqual(1);
  }
  throw new Error(`analysis ${id} did not finish`);
}

async function problem(res: Response) {
  expect(res.headers.get("content-type")).toBe("application/problem+json");
  return Problem.passthrough().parse(await res.json());
}

describe("POST /api/v1/analyses", () => {
  let key: string;
  let seed = 100;
  const png = async (): Promise<Upload> => ({ name: `chest-${seed}.png`, bytes: await syntheticFilmPng(seed++, 256) });

  beforeAll(async () => {
    await ensureDemoModel();
    const rad = await createTestUser("radiologist");
    key = (await createTestKey(rad.user, ["analyses:read", "analyses:write"])).key;
    await startAnalysisWorker("web");
  });
  afterAll(async () => {
    await stopAnalysisWorker();
    await closeAllModels();
  });

  it("accepts a valid key; refuses missing, malformed, unknown, revoked, expired, under-scoped and ownerless keys, storing nothing", async () => {
    const { valid, failing } = await keyCases(["analyses:write"]);
    const before = await analysisCount();
    for (const c of failing) {
      const res = await call(route.POST, "/api/v1/analyses", {
        method: "POST",
        headers: c.authorization ? { authorization: c.authorization } : {},
        body: form([await png()]),
      });
      expect.soft(res.status, c.name).toBe(c.status);
      expect.soft((await problem(res)).detail, c.name).toMatch(c.detail);
    }
    expect(await analysisCount()).toBe(before);
    const ok = await post(valid, form([await png()]), WAIT);
    expect(ok.status).toBe(201);
    expect(await analysisCount()).toBe(before + 1);
  });

  it("with Prefer: wait, answers 201 with the completed analysis and its 18 findings, audited and measured", async () => {
    const res = await post(key, form([await png()]), WAIT);
    expect(res.status).toBe(201);
    expect(res.headers.get("preference-applied")).toBe("wait=60");
    const a = Analysis.parse(await res.json());
    expect(res.headers.get("location")).toBe(`/api/v1/analyses/${a.id}`);
    expect(a.queuePosition).toBeNull();
    expect(a.error).toBeNull();
    expect(a).toMatchObject({ status: "completed", fileName: `chest-${seed - 1}.png`, model: { trained: false, precision: "fp32" }, image: { format: "png", width: 256, height: 256 } });
    expect(a.findings).toHaveLength(18);
    for (const f of a.findings) expect(f.positive).toBe(f.calibrated! >= 0.5);
    expect(Object.keys(a.timings)).toEqual(expect.arrayContaining(["queue", "decode", "preprocess", "inference", "render", "total"]));
    const [event] = await db.select().from(auditEvents).where(eq(auditEvents.targetId, a.id));
    expect(event).toMatchObject({ action: "analysis.create", actorApiKeyId: expect.any(String) });
    expect(await metrics().registry.metrics()).toMatch(/cxr_analysis_stage_duration_seconds_count\{stage="inference"\} [1-9]/);
  });

  it("analyses several files: one analysis per good file, one problem per bad one; 422 when none works", async () => {
    const before = await analysisCount();
    const notImage = { name: "notes.txt", bytes: new TextEncoder().encode("not an image at all") };
    const res = await post(key, form([await png(), notImage, await png()]), WAIT);
    expect(res.status).toBe(201);
    const batch = AnalysisBatch.parse(await res.json());
    expect(batch.analyses.map((a) => a.fileName)).toEqual([`chest-${seed - 2}.png`, `chest-${seed - 1}.png`]);
    for (const a of batch.analyses) expect(a).toMatchObject({ status: "completed", findings: expect.arrayContaining([expect.anything()]) });
    expect(batch.failed).toHaveLength(1);
    expect(batch.failed[0]).toMatchObject({ index: 1, fileName: "notes.txt", problem: { status: expect.any(Number) } });
    expect(batch.failed[0].problem.status).toBeGreaterThanOrEqual(400);
    expect(batch.failed[0].problem.status).toBeLessThan(500);
    expect(await analysisCount()).toBe(before + 2);

    const none = await post(key, form([notImage, { name: "empty.png", bytes: new Uint8Array(0) }]));
    expect(none.status).toBe(422);
    const p = await problem(none);
    expect(p.detail).toBe("None of the 2 files could be analysed.");
    expect((p as { failed?: unknown[] }).failed).toHaveLength(2);
    expect(await analysisCount()).toBe(before + 2);
  });

  it("refuses bad requests with a 4xx and a message, storing nothing", async () => {
    const before = await analysisCount();
    const files = storedFiles();
    const big = { name: "big.png", bytes: new Uint8Array(1024 * 1024 + 10) };
    const cases: [string, () => Promise<Response>, number, RegExp][] = [
      ["JSON body", () => post(key, JSON.stringify({ file: "x" }), { "content-type": "application/json" }), 415, /multipart\/form-data/],
      ["no file field", async () => post(key, (() => { const f = new FormData(); f.append("image", "x"); return f; })()), 400, /at least one file/],
      ["text in the file field", async () => post(key, (() => { const f = new FormData(); f.append("file", "abc"); return f; })()), 400, /files, not text/],
      ["too many files", async () => post(key, form([await png(), await png(), await png(), await png()])), 413, /at most 3 files/],
      ["file over MAX_UPLOAD_MB", async () => post(key, form([big])), 413, /larger than the 1 MB limit per file/],
      ["declared body over MAX_REQUEST_MB", async () => post(key, "x", { "content-type": "multipart/form-data; boundary=abc", "content-length": String(3 * 1024 * 1024) }), 413, /larger than the 2 MB/],
      ["streamed body over MAX_REQUEST_MB", async () => post(key, new Blob([new Uint8Array(3 * 1024 * 1024)]).stream(), { "content-type": "multipart/form-data; boundary=abc" }), 413, /larger than the 2 MB/],
      ["truncated multipart", async () => post(key, "--abc\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\n\r\n\x89PNG", { "content-type": "multipart/form-data; boundary=abc" }), 400, /could not be read/],
    ];
    for (const [name, send, status, detail] of cases) {
      const res = await send();
      expect.soft(res.status, name).toBe(status);
      expect.soft((await problem(res)).detail, name).toMatch(detail);
    }
    expect(await analysisCount()).toBe(before);
    expect(storedFiles()).toBe(files);
  });

  it("without Prefer: wait, answers 202 with the queued analysis and its Location; GET follows it to completed", async () => {
    const res = await post(key, form([await png()]));
    expect(res.status).toBe(202);
    const a = Analysis.parse(await res.json());
    expect(["queued", "processing", "completed"]).toContain(a.status);
    expect(res.headers.get("location")).toBe(`/api/v1/analyses/${a.id}`);
    expect(res.headers.get("preference-applied")).toBeNull();
    const retryAfter = Number(res.headers.get("retry-after") ?? 0);
    if (a.status !== "completed") {
      // When to ask again comes with the answer; asking sooner is refused from memory with the time left.
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      const early = await getOne(key, a.id);
      expect(early.status).toBe(429);
      expect(Number(early.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      expect(((await problem(early)) as { code: string }).code).toBe("poll_too_soon");
    }
    const done = await waitUntilFinished(key, a.id, retryAfter);
    expect(done).toMatchObject({ id: a.id, status: "completed", error: null, errorCode: null, queuePosition: null });
    expect(done.findings).toHaveLength(18);
  });

  it("a file that cannot be decoded ends failed with its typed error; with Prefer: wait that is the answer (422)", async () => {
    const files = storedFiles();
    const res = await post(key, form([{ name: "bad.png", bytes: (await png()).bytes.subarray(0, 100) }]), WAIT);
    expect(res.status).toBe(422);
    const p = (await problem(res)) as { analysisId?: string; code: string };
    expect(p.code).toMatch(/^(corrupt|truncated)$/);
    expect(p.analysisId).toBeDefined();
    expect(res.headers.get("location")).toBe(`/api/v1/analyses/${p.analysisId}`);
    const failed = Analysis.parse(await (await getOne(key, p.analysisId!)).json());
    expect(failed).toMatchObject({ status: "failed", errorCode: p.code, findings: [] });
    expect(failed.error).toMatch(/\w/);
    // Only the original was kept (for the record); no renderings were made of a file that never decoded.
    expect(storedFiles()).toBe(files + 1);
  });

  it("an upload whose sender has gone by the time it would be accepted is not accepted, storing nothing", async () => {
    const before = await analysisCount();
    const files = storedFiles();
    const sender = new AbortController();
    const req = new Request("http://localhost:3000/api/v1/analyses", {
      method: "POST",
      headers: { authorization: `Bearer ${key}` },
      body: form([await png()]),
      signal: sender.signal,
    });
    sender.abort();
    const res = await route.POST(req, { params: Promise.resolve({}) });
    expect(res.status).toBe(400);
    expect((await problem(res)).code).toBe("request_cancelled");
    expect(await analysisCount()).toBe(before);
    expect(storedFiles()).toBe(files);
  });

  it("an Idempotency-Key makes a retried upload return the first analysis, never a second row", async () => {
    const upload = await png();
    const before = await analysisCount();
    const headers = { "idempotency-key": `retry-${seed}`, ...WAIT };
    const first = await post(key, form([upload]), headers);
    expect(first.status).toBe(201);
    const a = Analysis.parse(await first.json());
    // The same request again, and two more at once (a client that timed out and retried twice).
    const again = await Promise.all([post(key, form([upload]), headers), post(key, form([upload]), headers), post(key, form([upload]), headers)]);
    for (const r of again) {
      expect(r.status).toBe(201);
      expect(Analysis.parse(await r.json()).id).toBe(a.id);
    }
    expect(await analysisCount()).toBe(before + 1);
    // Another key's identical Idempotency-Key is another request.
    const other = await createTestKey((await createTestUser("radiologist")).user, ["analyses:write"]);
    const theirs = await post(other.key, form([upload]), headers);
    expect(theirs.status).toBe(201);
    expect(Analysis.parse(await theirs.json()).id).not.toBe(a.id);
    expect(await analysisCount()).toBe(before + 2);
    expect((await problem(await post(key, form([upload]), { "idempotency-key": "has space" }))).code).toBe("bad_request");
  });

  it("answers 503 with Retry-After when QUEUE_MAX analyses wait, before reading or storing anything; the retry is stored once", async () => {
    await stopAnalysisWorker();
    const before = await analysisCount();
    // No worker: three accepted uploads fill the queue (QUEUE_MAX = 3).
    for (let i = 0; i < 3; i++) {
      const res = await post(key, form([await png()]));
      expect(res.status, JSON.stringify(await res.clone().json())).toBe(202);
    }
    const files = storedFiles();
    const upload = await png();
    const full = await post(key, form([upload]), { "idempotency-key": `full-${seed}` });
    expect(full.status).toBe(503);
    expect(Number(full.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    const p = await problem(full);
    expect(p.code).toBe("queue_full");
    expect(p.detail).toMatch(/queue is full .* retry in \d+ s/);
    expect(await analysisCount()).toBe(before + 3);
    expect(storedFiles()).toBe(files);
    expect(await metrics().registry.metrics()).toMatch(/cxr_inference_rejected_total [1-9]/);

    // A worker comes back and drains the queue; the refused upload, sent again, is accepted once.
    await startAnalysisWorker("web");
    await expect.poll(async () => (await queueDepth()).waiting, { timeout: 60_000, interval: 500 }).toBe(0);
    const retried = await post(key, form([upload]), { "idempotency-key": `full-${seed}`, ...WAIT });
    expect(retried.status, JSON.stringify(await retried.clone().json())).toBe(201);
    expect(await analysisCount()).toBe(before + 4);
  });

  it("answers 429 with Retry-After when the key's budget is spent, storing nothing", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      const owner = await createTestUser("radiologist");
      const k = (await createTestKey(owner.user, ["analyses:write"])).key;
      // Spend the budget (40 per minute) on requests that are refused before any analysis.
      for (let i = 0; i < 40; i++) expect((await post(k, "{}", { "content-type": "application/json" })).status).toBe(415);
      const before = await analysisCount();
      const limited = await post(k, form([await png()]));
      expect(limited.status).toBe(429);
      expect(limited.headers.get("retry-after")).toBe("2");
      expect((await problem(limited)).code).toBe("rate_limited");
      expect(await analysisCount()).toBe(before);
      vi.setSystemTime(Date.now() + 2_000);
      expect((await post(k, form([await png()]))).status).toBe(202);
      expect(await analysisCount()).toBe(before + 1);
    } finally {
      vi.useRealTimers();
    }
  });
});
