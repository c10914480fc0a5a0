import "server-only";
import { AppError } from "@/lib/core/errors";
import { acceptUpload, type AcceptInput, type AcceptOutcome } from "@/lib/uploads/accept-upload";
import type { Principal } from "@/lib/auth/principal";
import { ConcurrencyGate } from "./concurrency-gate";
import { readUploadedFiles } from "./multipart";
import { idempotencyKeyOf } from "./upload-preferences";

export interface AcceptedRequest extends AcceptOutcome {
  /** How many files the request carried. */
  fileCount: number;
}

// Uploads of one process are checked, hashed, stored and queued a few at a time, in arrival order. A
// burst of 500 at once otherwise held every body in several copies at the same moment (the web process
// passed 800 MB), and accepted all of them late instead of the first ones at once. The files are read
// before a place is taken, so a slow sender cannot hold one.
const ACCEPTING_AT_ONCE = 4;
const state = globalThis as unknown as { cxrAcceptGate?: ConcurrencyGate };
const gate = (state.cxrAcceptGate ??= new ConcurrencyGate(ACCEPTING_AT_ONCE));

/**
 * The upload routes' first half: the request's files read, stored and queued (lib/uploads/accept-upload.ts).
 * A function of its own so that the bytes are garbage once it returns: a request that then holds its
 * answer for `Prefer: wait` keeps only the analysis ids.
 */
export async function acceptUploadRequest(req: Request, actor: Principal, options: Pick<AcceptInput, "purpose"> = {}): Promise<AcceptedRequest> {
  const files = await readUploadedFiles(req);
  return gate.run(async () => {
    // In a burst a request can wait here long enough for its sender to give up. Accepting it then
    // would queue an analysis nobody was told of (its sender, retrying with the same Idempotency-Key,
    // would be answered with it; one that does not retry never learns it) and spend a worker's turn on
    // it: an upload whose sender has gone is not accepted.
    if (req.signal.aborted) {
      throw new AppError("bad_request", "The request was cancelled before the upload was accepted; nothing was stored.", { subcode: "request_cancelled" });
    }
    const outcome = await acceptUpload({ actor, files, idempotencyKey: idempotencyKeyOf(req.headers), headers: req.headers, purpose: options.purpose });
    return { ...outcome, fileCount: files.length };
  });
}
