import "server-only";
import { admitAnalyses } from "@/lib/api/admission";
import { AppError, problemFor } from "@/lib/api/errors";
import { asClientError } from "@/lib/api/route";
import type { Principal } from "@/lib/auth/principal";
import { errorSummary, logger } from "@/lib/log";
import { createAnalysis } from "./create-analysis";

export interface UploadOutcome {
  created: { id: string; fileName: string }[];
  failed: { index: number; fileName: string; problem: ReturnType<typeof problemFor> }[];
}

export interface UploadInput {
  actor: Principal;
  files: File[];
  headers: Headers;
  /** The request path, named in each failed file's problem. */
  instance: string;
}

/**
 * The one upload loop, for the browser and the v1 API: room for every file is reserved first (503 for
 * the whole upload when it does not fit, before anything is stored), then the files go one by one.
 * With one file its error is the answer; with several, a file that fails is reported and the others
 * carry on, so nothing already stored goes unreported.
 */
export async function analyseUploads({ actor, files, headers, instance }: UploadInput): Promise<UploadOutcome> {
  const ticket = admitAnalyses(files.length);
  const outcome: UploadOutcome = { created: [], failed: [] };
  try {
    for (const [index, file] of files.entries()) {
      try {
        const bytes = Buffer.from(await file.arrayBuffer());
        const { id } = await ticket.run(() => createAnalysis({ actor, fileName: file.name, bytes, headers }));
        outcome.created.push({ id, fileName: file.name });
      } catch (error) {
        if (files.length === 1) throw error;
        const clientError = asClientError(error);
        if (!clientError) logger.error({ err: errorSummary(error), route: instance, fileIndex: index }, "analysis failed");
        const problem = problemFor(clientError ?? new AppError("internal", "This file could not be analysed because of an error on our side."), instance);
        outcome.failed.push({ index, fileName: file.name, problem });
      }
    }
  } finally {
    ticket.release();
  }
  if (outcome.created.length === 0 && files.length > 1) {
    throw new AppError("unprocessable", `None of the ${files.length} files could be analysed.`, {
      subcode: "no_file_analysed",
      detail: { failed: outcome.failed },
    });
  }
  return outcome;
}
