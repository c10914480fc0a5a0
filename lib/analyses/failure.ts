import { AppError } from "@/lib/core/errors";
import { IMAGING_ERROR_KIND } from "@/lib/imaging/errors";

/**
 * The problem a failed analysis ended with, for answers that waited for it: the file's own 4xx (corrupt,
 * unsupported syntax, ...) or, when our side failed every attempt, 503 with Retry-After.
 */
export function analysisFailure(a: { id: string; errorCode: string | null; error: string | null }): AppError {
  const code = a.errorCode ?? "analysis_failed";
  const kind = Object.hasOwn(IMAGING_ERROR_KIND, code) ? IMAGING_ERROR_KIND[code as keyof typeof IMAGING_ERROR_KIND] : undefined;
  if (kind) return new AppError(kind, a.error ?? "The file could not be analysed.", { subcode: code, detail: { analysisId: a.id } });
  return new AppError("service_unavailable", a.error ?? "The analysis failed on our side.", { subcode: code, retryAfterSeconds: 60, detail: { analysisId: a.id } });
}
