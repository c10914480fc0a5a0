import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { uploadWithRetries, type UploadWithRetriesOptions } from "./upload-with-retries";

// The client the fault test and the HTTP benchmarks share, against a real HTTP server that plays a
// refusing, then accepting, API.
type Step = { status: number; retryAfter?: string; body?: string } | "drop";

let server: http.Server | null = null;

async function serve(steps: Step[]): Promise<{ baseUrl: string; seen: { idempotencyKey?: string; prefer?: string; bytes: number }[] }> {
  const seen: { idempotencyKey?: string; prefer?: string; bytes: number }[] = [];
  server = http.createServer((req, res) => {
    let bytes = 0;
    req.on("data", (d: Buffer) => (bytes += d.length));
    req.on("end", () => {
      seen.push({ idempotencyKey: req.headers["idempotency-key"] as string, prefer: req.headers.prefer as string | undefined, bytes });
      const step = steps[Math.min(seen.length - 1, steps.length - 1)];
      if (step === "drop") return req.socket.destroy();
      res.writeHead(step.status, { "content-type": "application/json", ...(step.retryAfter ? { "retry-after": step.retryAfter } : {}) });
      res.end(step.body ?? "{}");
    });
  });
  await new Promise<void>((r) => server!.listen(0, "127.0.0.1", r));
  return { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

afterEach(async () => {
  await new Promise((r) => server?.close(r));
  server = null;
});

const options = (baseUrl: string, extra: Partial<UploadWithRetriesOptions> = {}): UploadWithRetriesOptions => ({
  baseUrl,
  key: "k",
  film: Buffer.alloc(1000, 7),
  fileName: "film.png",
  deadline: Date.now() + 20_000,
  retryStatuses: [503],
  retryNetworkErrors: false,
  maxRetryWaitSeconds: 1,
  attemptTimeoutMs: 5_000,
  ...extra,
});

describe("uploadWithRetries", () => {
  it("sends a refused upload again under the same Idempotency-Key until it is accepted", async () => {
    const { baseUrl, seen } = await serve([
      { status: 503, retryAfter: "1" },
      { status: 429, retryAfter: "1" },
      { status: 202, body: '{"id":"a1"}' },
    ]);
    const r = await uploadWithRetries(options(baseUrl, { retryStatuses: [429], prefer: "wait=5" }));
    expect(r.answers.map((a) => [a.status, a.retryAfter])).toEqual([
      [503, "1"],
      [429, "1"],
      [202, null],
    ]);
    expect(r.final).toMatchObject({ status: 202, body: '{"id":"a1"}' });
    expect(new Set(seen.map((s) => s.idempotencyKey)).size).toBe(1);
    expect(seen[0].idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
    expect(seen.every((s) => s.prefer === "wait=5" && s.bytes > 1000)).toBe(true);
  });

  it("stops at the first answer that is not a refusal it was told to ride out", async () => {
    const { baseUrl, seen } = await serve([{ status: 429, retryAfter: "1" }, { status: 202 }]);
    const r = await uploadWithRetries(options(baseUrl));
    expect(r.final?.status).toBe(429);
    expect(seen).toHaveLength(1);
  });

  it("counts a dropped connection, and retries it only when asked to", async () => {
    const once = await serve(["drop", { status: 201, body: '{"id":"b2"}' }]);
    const counted = await uploadWithRetries(options(once.baseUrl));
    expect(counted).toMatchObject({ final: null, networkErrors: 1, answers: [] });
    await new Promise((r) => server!.close(r));

    const again = await serve(["drop", { status: 201, body: '{"id":"b2"}' }]);
    const retried = await uploadWithRetries(options(again.baseUrl, { retryNetworkErrors: true }));
    expect(retried.networkErrors).toBe(1);
    expect(retried.final).toMatchObject({ status: 201, body: '{"id":"b2"}' });
    expect(new Set(again.seen.map((s) => s.idempotencyKey)).size).toBe(1);
  });

  it("gives up at the deadline while still refused", async () => {
    const { baseUrl, seen } = await serve([{ status: 503, retryAfter: "1" }]);
    const r = await uploadWithRetries(options(baseUrl, { deadline: Date.now() + 1_500 }));
    expect(r.final?.status).toBe(503);
    expect(seen.length).toBeGreaterThanOrEqual(1);
    expect(seen.length).toBeLessThanOrEqual(3);
  });
});
