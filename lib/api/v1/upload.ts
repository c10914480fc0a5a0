import "server-only";
import { waitForFinished } from "@/lib/analyses/completion";
import { analysisFailure } from "@/lib/analyses/failure";
import { AppError, problemFor, problemResponse } from "@/lib/core/errors";
import { acceptUploadRequest } from "@/lib/uploads/accept-upload-request";
import { preferredWaitSeconds } from "@/lib/uploads/upload-preferences";
import type { Principal } from "@/lib/auth/principal";
import { measuredPace, retryAfterFor } from "@/lib/queue/pace";
import { notePollAnswer } from "./poll-pace";
import { acceptedV1Analyses, loadV1Analyses } from "./queries";
import { v1Json } from "./route-support";
import { Analysis, AnalysisBatch, type V1Analysis } from "./schemas";

// POST /api/v1/analyses answers once the upload is accepted (stored and queued): 202 with the queued
// analyses. `Prefer: wait=N` (RFC 7240) holds the answer up to N seconds (at most 60) for the results:
// 201 when every analysis completed in time, else still 202. `Idempotency-Key` makes a retry of the
// same request (same key, same API key) answer with the first request's analyses.

const location = (id: string) => `/api/v1/analyses/${id}`;

/** A failed analysis as the problem it ended with, pointing at the analysis. */
function failureProblem(a: V1Analysis, instance: string): Response {
  const res = problemResponse(analysisFailure(a), instance);
  res.headers.set("location", location(a.id));
  return res;
}

export async function createV1Analyses(req: Request, principal: Principal): Promise<Response> {
  const instance = new URL(req.url).pathname;
  const wait = preferredWaitSeconds(req.headers);
  const outcome = await acceptUploadRequest(req, principal);
  if (outcome.ids.length === 0) {
    throw new AppError("unprocessable", `None of the ${outcome.fileCount} files could be analysed.`, {
      subcode: "no_file_analysed",
      detail: { failed: outcome.refused.map((r) => ({ index: r.index, fileName: r.fileName, problem: problemFor(r.error, instance) })) },
    });
  }
  const finished = wait > 0 ? await waitForFinished(outcome.ids, wait * 1000, { mayHaveFinished: outcome.replayed || outcome.alreadyReceived.length > 0 }) : false;
  // Without waiting, the answer is what was just written; after a wait, what the analyses are now.
  const analyses = (wait === 0 && outcome.created ? await acceptedV1Analyses(outcome.created) : null) ?? (await loadV1Analyses(outcome.ids));
  const allCompleted = finished && analyses.every((a) => a.status === "completed");
  const headers: Record<string, string> = {};
  if (wait > 0) headers["preference-applied"] = `wait=${wait}`;

  let res: Response;
  if (outcome.fileCount === 1 && outcome.ids.length === 1) {
    const [a] = analyses;
    if (a.status === "failed") return failureProblem(a, instance);
    // An instance received before: its analysis, and 200 says nothing new was made.
    res = v1Json(Analysis, a, outcome.alreadyReceived.includes(a.id) ? 200 : allCompleted ? 201 : 202);
  } else {
    const failed = outcome.refused.map((r) => ({ index: r.index, fileName: r.fileName, problem: problemFor(r.error, instance) }));
    res = v1Json(AnalysisBatch, { analyses, failed }, allCompleted ? 201 : 202);
  }
  res.headers.set("location", location(outcome.ids[0]));
  const first = analyses.find((a) => a.id === outcome.ids[0]);
  if (res.status === 202 && first && (first.status === "queued" || first.status === "processing")) {
    // When the (first) analysis is likely done; polling its Location sooner is answered 429.
    const seconds = retryAfterFor(first.queuePosition, await measuredPace());
    res.headers.set("retry-after", String(seconds));
    notePollAnswer(req, first.id, seconds);
  }
  for (const [k, v] of Object.entries(headers)) res.headers.set(k, v);
  return res;
}
