// Integration: POST /api/v1/analyses with the real decoders and the real (untrained demo) model on
// PostgreSQL: every kind of key, one and several files, bad requests, and the limits (full queue 503,
// rate limit 429) with the guarantee that a refused request stores nothing and a retried one stores once.
import { afterAll, vi } from "vitest";

const dropDb = await vi.hoisted(async () => {
  process.env.MODEL_DIR = `${process.env.DATA_DIR}/model-v1-create`;
  process.env.STORAGE_DIR = `${process.env.DATA_DIR}/storage-v1-create`;
  process.env.INFERENCE_CONCURRENCY = "1";
  process.env.INFERENCE_QUEUE_SIZE = "2";
  process.env.API_MAX_FILES = "3";
  process.env.MAX_UPLOAD_MB = "1";
  process.env.MAX_REQUEST_MB = "2";
  process.env.RATE_LIMIT_PER_KEY = "40";
  process.env.RATE_LIMIT_PER_IP = "0";
  return (await import("@/lib/testing/isolated-database")).useIsolatedDatabase();
});
afterAll(() => dropDb());

import fs from "node:fs";
import path from "node:path";
import { count, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import * as route from "@/app/api/v1/analyses/route";
import { admitAnalyses, inferenceQueueSnapshot } from "@/lib/api/admission";
import { db } from "@/lib/db/client";
import { analyses, auditEvents } from "@/lib/db/schema";
import { storageDir } from "@/lib/env";
import { closeAllModels } from "@/lib/inference";
import { metrics } from "@/lib/metrics";
import { keyCases } from "@/lib/testing/key-cases";
import { call, createTestKey, createTestUser } from "@/lib/testing/principals";
import { syntheticFilmPng } from "@/lib/imaging/testing/synthetic-film";
import { ensureDemoModel } from "@/lib/testing/test-model";
import { Analysis, AnalysisBatch, Problem } from "./schemas";

type Upload = { name: string; bytes: Uint8Array };

function form(files: Upload[]): FormData {
  const f = new FormData();
  for (const u of files) f.append("file", new File([new Uint8Array(u.bytes)], u.name, { type: "application/octet-stream" }));
  return f;
}

const post = (key: string, body: BodyInit, headers: Record<string, string> = {}) =>
  call(route.POST, "/api/v1/analyses", { method: "POST", headers: { authorization: `Bearer ${key}`, ...headers }, body });

async function analysisCount(): Promise<number> {
  const [{ n }] = await db.select({ n: count() }).from(analyses);
  return n;
}

function storedFiles(): number {
  const walk = (dir: string): number =>
    fs.existsSync(dir) ? fs.readdirSync(dir, { withFileTypes: true }).reduce((n, d) => n + (d.isDirectory() ? walk(path.join(dir, d.name)) : 1), 0) : 0;
  return walk(storageDir);
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
  });
  afterAll(closeAllModels);

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
    const ok = await post(valid, form([await png()]));
    expect(ok.status).toBe(201);
    expect(await analysisCount()).toBe(before + 1);
  });

  it("answers 201 with the analysis and its 18 findings, audited and measured", async () => {
    const res = await post(key, form([await png()]));
    expect(res.status).toBe(201);
    const a = Analysis.parse(await res.json());
    expect(a).toMatchObject({ status: "completed", fileName: `chest-${seed - 1}.png`, model: { trained: false }, image: { format: "png", width: 256, height: 256 } });
    expect(a.findings).toHaveLength(18);
    for (const f of a.findings) expect(f.positive).toBe(f.calibrated >= 0.5);
    expect(Object.keys(a.timings)).toEqual(expect.arrayContaining(["decode", "preprocess", "inference"]));
    const [event] = await db.select().from(auditEvents).where(eq(auditEvents.targetId, a.id));
    expect(event).toMatchObject({ action: "analysis.create", actorApiKeyId: expect.any(String) });
    expect(await metrics().registry.metrics()).toMatch(/cxr_analysis_stage_duration_seconds_count\{stage="inference"\} [1-9]/);
  });

  it("analyses several files: one analysis per good file, one problem per bad one; 422 when none works", async () => {
    const before = await analysisCount();
    const notImage = { name: "notes.txt", bytes: new TextEncoder().encode("not an image at all") };
    const res = await post(key, form([await png(), notImage, await png()]));
    expect(res.status).toBe(201);
    const batch = AnalysisBatch.parse(await res.json());
    expect(batch.analyses.map((a) => a.fileName)).toEqual([`chest-${seed - 2}.png`, `chest-${seed - 1}.png`]);
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
      ["one corrupt image", async () => post(key, form([{ name: "bad.png", bytes: (await png()).bytes.subarray(0, 100) }])), 422, /./],
    ];
    for (const [name, send, status, detail] of cases) {
      const res = await send();
      expect.soft(res.status, name).toBe(status);
      expect.soft((await problem(res)).detail, name).toMatch(detail);
    }
    expect(await analysisCount()).toBe(before);
    expect(storedFiles()).toBe(files);
  });

  it("answers 503 with Retry-After when the queue is full, before storing anything; the retry is stored once", async () => {
    const { capacity } = inferenceQueueSnapshot();
    expect(capacity).toBe(3);
    const upload = await png();
    const before = await analysisCount();
    const files = storedFiles();

    // Another client's upload holds every place (admitted, not yet started).
    const held = admitAnalyses(capacity);
    const full = await post(key, form([upload]));
    expect(full.status).toBe(503);
    expect(Number(full.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    const p = await problem(full);
    expect(p.code).toBe("queue_full");
    expect(p.detail).toMatch(/queue is full .* retry in \d+ s/);
    held.release();

    // Room for one but not for two: a two-file upload is refused whole.
    const partly = admitAnalyses(capacity - 1);
    const two = await post(key, form([upload, await png()]));
    expect(two.status).toBe(503);
    expect(await analysisCount()).toBe(before);
    expect(storedFiles()).toBe(files);
    partly.release();

    const retried = await post(key, form([upload]));
    expect(retried.status).toBe(201);
    expect(await analysisCount()).toBe(before + 1);
    expect(inferenceQueueSnapshot()).toEqual({ running: 0, waiting: 0, capacity });
    expect(await metrics().registry.metrics()).toMatch(/cxr_inference_rejected_total [1-9]/);
  });

  it("under a burst, every request is either stored once (201) or refused whole (503); retries store the rest once", async () => {
    const before = await analysisCount();
    const uploads = await Promise.all(Array.from({ length: 6 }, () => png()));
    const first = await Promise.all(uploads.map((u) => post(key, form([u]))));
    const statuses = first.map((r) => r.status);
    expect(statuses.every((s) => s === 201 || s === 503)).toBe(true);
    for (const r of first.filter((r) => r.status === 503)) expect(Number(r.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    const ids = await Promise.all(first.map(async (r) => (r.status === 201 ? Analysis.parse(await r.json()).id : null)));
    expect(await analysisCount()).toBe(before + ids.filter(Boolean).length);

    // The refused ones are sent again, one at a time, as a client honouring Retry-After would.
    for (const [i, r] of first.entries()) {
      if (r.status === 201) continue;
      const again = await post(key, form([uploads[i]]));
      expect(again.status).toBe(201);
      ids[i] = Analysis.parse(await again.json()).id;
    }
    expect(new Set(ids).size).toBe(6);
    expect(await analysisCount()).toBe(before + 6);
    const names = await db.select({ fileName: analyses.fileName }).from(analyses);
    for (const u of uploads) expect(names.filter((n) => n.fileName === u.name)).toHaveLength(1);
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
      expect((await post(k, form([await png()]))).status).toBe(201);
      expect(await analysisCount()).toBe(before + 1);
    } finally {
      vi.useRealTimers();
    }
  });
});
