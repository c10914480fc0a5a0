import "server-only";
import { admitAnalyses } from "@/lib/api/admission";
import { AppError, problemFor } from "@/lib/api/errors";
import { asClientError } from "@/lib/api/route";
import { errorSummary, logger } from "@/lib/log";
import { observeAnalysisTimings } from "@/lib/metrics";
import { loadV1Analyses } from "./queries";
import type { V1Analysis } from "./schemas";

/** Stores and analyses one file, returning the new analysis id (the foundation's createAnalysis). */
export type CreateOne = (file: File) => Promise<{ id: string }>;

export interface UploadOutcome {
  analyses: V1Analysis[];
  failed: { index: number; fileName: string; problem: ReturnType<typeof problemFor> }[];
}

/**
 * Runs an upload through the inference queue: room for every file is reserved first (503 for the whole
 * upload when it does not fit, before anything is stored), then the files go one by one. With one file
 * its error is the answer; with several, a file that fails is reported and the others carry on.
 */
export async function analyseUploads(files: File[], create: CreateOne, instance: string): Promise<UploadOutcome> {
  const ticket = admitAnalyses(files.length);
  const ids: string[] = [];
  const failed: UploadOutcome["failed"] = [];
  try {
    for (const [index, file] of files.entries()) {
      try {
        ids.push((await ticket.run(() => create(file))).id);
      } catch (error) {
        if (files.length === 1) throw error;
        const clientError = asClientError(error);
        if (!clientError) logger.error({ err: errorSummary(error), route: instance, fileIndex: index }, "analysis failed");
        const problem = problemFor(clientError ?? new AppError("internal", "This file could not be analysed because of an error on our side."), instance);
        failed.push({ index, fileName: file.name, problem });
      }
    }
  } finally {
    ticket.release();
  }
  const analyses = await loadV1Analyses(ids);
  for (const a of analyses) observeAnalysisTimings(a.timings);
  return { analyses, failed };
}
