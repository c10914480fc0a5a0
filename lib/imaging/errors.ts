// Every way an upload can be refused, as a typed code with the HTTP status the API maps it to and a
// message a person can act on. Messages never contain patient data: only sizes, tags and syntax names.
import { ErrorStatus, type ErrorCode } from "@/lib/core/errors";

/** The ErrorCode (lib/core/errors.ts) each refusal stands for, which gives its HTTP status. */
export const IMAGING_ERROR_KIND = {
  empty_file: "bad_request",
  too_large: "payload_too_large",
  decompression_bomb: "payload_too_large",
  unsupported_format: "unsupported_media_type",
  unsupported_transfer_syntax: "unsupported_media_type",
  unsupported_photometric: "unsupported_media_type",
  unsupported_bit_depth: "unsupported_media_type",
  corrupt: "unprocessable",
  truncated: "unprocessable",
  /** The header contradicts the data (rows, columns, bit depth): decoding would scramble the film. */
  header_mismatch: "unprocessable",
  /** The transfer syntax names one compression, the codestream is another. */
  syntax_mismatch: "unprocessable",
  dimensions_out_of_range: "unprocessable",
  decode_timeout: "unprocessable",
  quality_refused: "unprocessable",
} as const satisfies Record<string, ErrorCode>;

export type ImagingErrorCode = keyof typeof IMAGING_ERROR_KIND;
export type ImagingHttpStatus = (typeof ErrorStatus)[(typeof IMAGING_ERROR_KIND)[ImagingErrorCode]];

/** Each refusal's HTTP status, from the one table in lib/core/errors.ts. */
export const IMAGING_ERROR_STATUS = Object.fromEntries(
  Object.entries(IMAGING_ERROR_KIND).map(([code, kind]) => [code, ErrorStatus[kind]]),
) as Record<ImagingErrorCode, ImagingHttpStatus>;

export const IMAGING_ERROR_CODES = Object.keys(IMAGING_ERROR_STATUS) as ImagingErrorCode[];

export class ImagingError extends Error {
  readonly code: ImagingErrorCode;
  readonly errorCode: ErrorCode;
  readonly httpStatus: ImagingHttpStatus;
  /** Machine-readable extras safe to send to the client (e.g. the warnings behind quality_refused). */
  readonly details?: Record<string, unknown>;

  constructor(code: ImagingErrorCode, message: string, options?: { cause?: unknown; details?: Record<string, unknown> }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = "ImagingError";
    this.code = code;
    this.errorCode = IMAGING_ERROR_KIND[code];
    this.httpStatus = IMAGING_ERROR_STATUS[code];
    if (options?.details) this.details = options.details;
  }
}

export function isImagingError(e: unknown): e is ImagingError {
  return e instanceof ImagingError;
}

/**
 * Codecs throw strings, numbers, WASM aborts and RangeErrors on damaged data. Anything that is not
 * already an ImagingError becomes `corrupt`, keeping the original as `cause` for the server log.
 */
export function asImagingError(e: unknown, what: string): ImagingError {
  if (e instanceof ImagingError) return e;
  return new ImagingError("corrupt", `The ${what} could not be decoded: the file is damaged or not a valid image.`, {
    cause: e,
  });
}
