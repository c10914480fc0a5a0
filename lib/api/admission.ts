import "server-only";
import { env } from "@/lib/env";
import { countAdmissionRejected, observeQueueWait, setQueueProbe } from "@/lib/metrics";
import { AdmissionGate, type AdmissionTicket } from "./admission-gate";

export type { AdmissionTicket } from "./admission-gate";

// The one inference queue of this process (INFERENCE_CONCURRENCY slots, INFERENCE_QUEUE_SIZE waiting),
// shared by the browser upload route and the v1 API. On globalThis so hot reloads keep one queue.
const globalForGate = globalThis as unknown as { cxrInferenceGate?: AdmissionGate };

export function inferenceGate(): AdmissionGate {
  if (!globalForGate.cxrInferenceGate) {
    const gate = new AdmissionGate(env.INFERENCE_CONCURRENCY, env.INFERENCE_QUEUE_SIZE, {
      onWait: observeQueueWait,
      onReject: countAdmissionRejected,
    });
    globalForGate.cxrInferenceGate = gate;
    setQueueProbe(() => gate.snapshot());
  }
  return globalForGate.cxrInferenceGate;
}

/**
 * Reserves room for `count` analyses or throws 503 + Retry-After (queue full) / 422 (more files than
 * the queue can ever hold). Usage, once the files are validated:
 *
 *   const ticket = admitAnalyses(files.length);
 *   try { for (const f of files) results.push(await ticket.run(() => createAnalysis(...))); }
 *   finally { ticket.release(); }
 */
export function admitAnalyses(count: number): AdmissionTicket {
  return inferenceGate().admit(count);
}

/** Route `before` hook: refuse an upload with 503 before its body is read when no place is free. */
export function requireInferenceRoom(): void {
  inferenceGate().assertRoom(1);
}

export function inferenceQueueSnapshot() {
  return inferenceGate().snapshot();
}
