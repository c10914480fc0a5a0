// An API client's upload as the fault test and the HTTP benchmarks send it: one film to
// `POST /api/v1/analyses` under one Idempotency-Key for all its attempts, sent again after a refusal
// (waiting what Retry-After says, within a cap) until it gets any other answer or the deadline passes.
// The callers differ only in what they ride out: the fault test also retries network errors (its
// database kills may drop a connection mid-answer), a benchmark counts them as errors.
import crypto from "node:crypto";

export interface UploadAnswer {
  status: number;
  retryAfter: string | null;
  contentType: string;
}

export interface UploadWithRetriesOptions {
  baseUrl: string;
  key: string;
  film: Buffer;
  fileName: string;
  /** Epoch ms after which no new attempt starts. */
  deadline: number;
  /** Statuses that are refusals to wait out and send again (503 always is). */
  retryStatuses: readonly number[];
  retryNetworkErrors: boolean;
  /** The longest wait between attempts, whatever Retry-After asks. */
  maxRetryWaitSeconds: number;
  /** Each attempt's own time limit, answer body included. */
  attemptTimeoutMs: number;
  /** A `Prefer` header, e.g. `wait=60`. */
  prefer?: string;
}

export interface UploadWithRetriesResult {
  /** The last answer, with its body, or null when none came (network errors only, or the deadline). */
  final: (UploadAnswer & { body: string }) | null;
  /** Every answer in order, refusals included. */
  answers: UploadAnswer[];
  networkErrors: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function uploadWithRetries(o: UploadWithRetriesOptions): Promise<UploadWithRetriesResult> {
  const headers: Record<string, string> = { authorization: `Bearer ${o.key}`, "idempotency-key": crypto.randomUUID() };
  if (o.prefer) headers.prefer = o.prefer;
  const result: UploadWithRetriesResult = { final: null, answers: [], networkErrors: 0 };
  while (Date.now() < o.deadline) {
    const form = new FormData();
    form.append("file", new File([new Uint8Array(o.film)], o.fileName, { type: "image/png" }));
    let seen: UploadAnswer;
    let body: string;
    try {
      const res = await fetch(`${o.baseUrl}/api/v1/analyses`, {
        method: "POST",
        headers,
        body: form,
        signal: AbortSignal.timeout(o.attemptTimeoutMs),
      });
      seen = { status: res.status, retryAfter: res.headers.get("retry-after"), contentType: res.headers.get("content-type") ?? "" };
      body = await res.text();
    } catch {
      result.networkErrors++;
      if (!o.retryNetworkErrors) return result;
      await sleep(500);
      continue;
    }
    result.answers.push(seen);
    result.final = { ...seen, body };
    if (seen.status !== 503 && !o.retryStatuses.includes(seen.status)) return result;
    const seconds = Number(seen.retryAfter);
    await sleep(1000 * (Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds, o.maxRetryWaitSeconds) : 1));
  }
  return result;
}
