import "server-only";
import { AppError } from "@/lib/core/errors";
import type { AnalysisPurpose } from "@/lib/analyses/purpose";
import type { Principal } from "@/lib/auth/principal";
import { acceptUpload } from "@/lib/uploads/accept-upload";
import { runAnalyses } from "@/lib/jobs/run-analyses";

export interface CreateAnalysisInput {
  actor: Principal;
  fileName: string;
  bytes: Buffer;
  headers?: Headers;
  /** Clinical work by default; a validation set's films are uploaded as `validation`. */
  purpose?: AnalysisPurpose;
}

/**
 * Accepts one file and analyses it right here, without waiting for a worker: for seeding data (tests,
 * demos) where the result is needed at once. The job stays queued too; a worker that later takes it
 * finds the analysis finished and leaves it as it is. Uploads from people and systems go through the
 * routes, which answer as soon as the file is queued.
 */
export async function createAnalysis(input: CreateAnalysisInput): Promise<{ id: string }> {
  const { ids } = await acceptUpload({ actor: input.actor, files: [{ fileName: input.fileName, bytes: input.bytes }], headers: input.headers, purpose: input.purpose });
  const [id] = ids;
  const outcome = (await runAnalyses([id], "inline")).get(id);
  if (outcome?.kind === "rejected") throw new AppError("unprocessable", outcome.message, { subcode: outcome.code });
  if (outcome?.kind === "retry") throw new Error(`analysis ${id} failed: ${outcome.message}`);
  return { id };
}
