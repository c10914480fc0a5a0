import { AppError, type ErrorCode } from "@/lib/core/errors";
import { IMAGING_ERROR_STATUS } from "@/lib/imaging/errors";

const BY_STATUS: Record<number, ErrorCode> = { 400: "bad_request", 413: "payload_too_large", 415: "unsupported_media_type", 422: "unprocessable" };

/**
 * The problem a failed analysis ended with, for answers that waited for it: the file's own 4xx (corrupt,
 * unsupported syntax, ...) or, when our side failed every attempt, 503 with Retry-After.
 */
export function analysisFailure(a: { id: string; errorCode: string | null; error: string | null }): AppError {
  const code = a.errorCode ?? "analysis_failed";
  const status = (IMAGING_ERROR_STATUS as Record<string, number>)[code];
  if (status) return new AppError(BY_STATUS[status] ?? "unprocessable", a.error ?? "The file could not be analysed.", { subcode: code, detail: { analysisId: a.id } });
  return new AppError("service_unavailable", a.error ?? "The analysis failed on our side.", { subcode: code, retryAfterSeconds: 60, detail: { analysisId: a.id } });
}
