// Typed error codes and their HTTP statuses, in one place. Handlers throw AppError; the route wrapper
// renders it as RFC 9457 problem+json. A domain's own typed errors (ImagingError, ModelError) name the
// ErrorCode they stand for, so their status comes from this table too (appErrorOf). Anything else is
// logged and answered with a generic 500.

export const ErrorStatus = {
  bad_request: 400,
  validation_failed: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  gone: 410,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unprocessable: 422,
  rate_limited: 429,
  internal: 500,
  service_unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ErrorStatus;

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly extra: { retryAfterSeconds?: number; detail?: Record<string, unknown>; subcode?: string } = {},
  ) {
    super(message);
    this.name = "AppError";
    this.status = ErrorStatus[code];
  }
}

/** A domain's typed error: its own machine-readable `code`, and the ErrorCode that gives its HTTP status. */
export interface TypedError {
  readonly code: string;
  readonly errorCode: ErrorCode;
  readonly message: string;
}

function isTypedError(error: unknown): error is TypedError {
  const e = error as Partial<TypedError> | null;
  return typeof e?.code === "string" && typeof e.errorCode === "string" && Object.hasOwn(ErrorStatus, e.errorCode);
}

/**
 * The AppError a thrown error stands for when a person may see it: an AppError itself, or a typed error
 * whose code is a client error (4xx), answered under its own code as the subcode. Otherwise null: the
 * caller logs it and answers with a generic error.
 */
export function appErrorOf(error: unknown): AppError | null {
  if (error instanceof AppError) return error;
  if (isTypedError(error) && ErrorStatus[error.errorCode] < 500) return new AppError(error.errorCode, String(error.message), { subcode: error.code });
  return null;
}

export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance?: string;
  [key: string]: unknown;
}

const titles: Record<ErrorCode, string> = {
  bad_request: "Bad request",
  validation_failed: "Invalid request",
  unauthorized: "Authentication required",
  forbidden: "Not allowed",
  not_found: "Not found",
  method_not_allowed: "Method not allowed",
  conflict: "Conflict",
  gone: "Gone",
  payload_too_large: "Payload too large",
  unsupported_media_type: "Unsupported media type",
  unprocessable: "Cannot process this input",
  rate_limited: "Too many requests",
  internal: "Internal error",
  service_unavailable: "Service unavailable",
};

export function problemFor(error: AppError, instance?: string): ProblemDetails {
  return {
    type: `about:blank#${error.extra.subcode ?? error.code}`,
    title: titles[error.code],
    status: error.status,
    detail: error.message,
    code: error.extra.subcode ?? error.code,
    ...(instance ? { instance } : {}),
    ...(error.extra.detail ?? {}),
  };
}

/**
 * Problems are never stored by caches, and never compressed: a problem is a few hundred bytes, and
 * Next.js's gzip set up a compression stream for each one — under a burst of refused requests the web
 * process's largest single cost after routing.
 */
export const PROBLEM_CACHE_CONTROL = "no-store, no-transform";

export function problemResponse(error: AppError, instance?: string): Response {
  const headers = new Headers({ "content-type": "application/problem+json", "cache-control": PROBLEM_CACHE_CONTROL });
  if (error.extra.retryAfterSeconds !== undefined) {
    headers.set("retry-after", String(Math.max(1, Math.ceil(error.extra.retryAfterSeconds))));
  }
  return new Response(JSON.stringify(problemFor(error, instance)), { status: error.status, headers });
}
