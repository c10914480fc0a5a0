// An API client's upload as the fault test sends it: one Idempotency-Key for all its attempts, retried
// after a 503 (waiting what Retry-After says, at most a few seconds so the test stays bounded) or a
// network error, until it is answered with anything else or the deadline passes. Every answer is kept.
import crypto from "node:crypto";

export interface UploadAnswer {
  status: number;
  retryAfter: string | null;
  contentType: string;
}

export interface UploadRecord {
  fileName: string;
  /** The last answer's status (0: none, only network errors). */
  final: number;
  /** The analysis id once accepted. */
  id: string | null;
  answers: UploadAnswer[];
  networkErrors: number;
}

const MAX_WAIT_SECONDS = 3;

export async function uploadWithRetries(o: { baseUrl: string; key: string; film: Buffer; fileName: string; deadline: number }): Promise<UploadRecord> {
  const idempotencyKey = crypto.randomUUID();
  const record: UploadRecord = { fileName: o.fileName, final: 0, id: null, answers: [], networkErrors: 0 };
  while (Date.now() < o.deadline) {
    const form = new FormData();
    form.append("file", new File([new Uint8Array(o.film)], o.fileName, { type: "image/png" }));
    let res: Response;
    let body: string;
    try {
      res = await fetch(`${o.baseUrl}/api/v1/analyses`, {
        method: "POST",
        headers: { authorization: `Bearer ${o.key}`, "idempotency-key": idempotencyKey },
        body: form,
        signal: AbortSignal.timeout(30_000),
      });
      body = await res.text();
    } catch {
      record.networkErrors++;
      await new Promise((r) => setTimeout(r, 500));
      continue;
    }
    const retryAfter = res.headers.get("retry-after");
    record.answers.push({ status: res.status, retryAfter, contentType: res.headers.get("content-type") ?? "" });
    record.final = res.status;
    if (res.status !== 503) {
      if (res.ok) record.id = (JSON.parse(body) as { id: string }).id;
      return record;
    }
    const seconds = Number(retryAfter);
    await new Promise((r) => setTimeout(r, 1000 * (Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds, MAX_WAIT_SECONDS) : 1)));
  }
  return record;
}
