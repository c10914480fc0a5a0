// Every way an upload can be refused, as a typed code with the HTTP status the API maps it to and a
// message a person can act on. Messages never contain patient data: only sizes, tags and syntax names.

export const IMAGING_ERROR_STATUS = {
  empty_file: 400,
  too_large: 413,
  decompression_bomb: 413,
  unsupported_format: 415,
  unsupported_transfer_syntax: 415,
  unsupported_photometric: 415,
  unsupported_bit_depth: 415,
  corrupt: 422,
  truncated: 422,
  /** The header contradicts the data (rows, columns, bit depth): decoding would scramble the film. */
  header_mismatch: 422,
  /** The transfer syntax names one compression, the codestream is another. */
  syntax_mismatch: 422,
  dimensions_out_of_range: 422,
  decode_timeout: 422,
  quality_refused: 422,
} as const;

export type ImagingErrorCode = keyof typeof IMAGING_ERROR_STATUS;
export type ImagingHttpStatus = (typeof IMAGING_ERROR_STATUS)[ImagingErrorCode];

export const IMAGING_ERROR_CODES = Object.keys(IMAGING_ERROR_STATUS) as ImagingErrorCode[];

export class ImagingError extends Error {
  readonly code: ImagingErrorCode;
  readonly httpStatus: ImagingHttpStatus;
  /** Machine-readable extras safe to send to the client (e.g. the warnings behind quality_refused). */
  readonly details?: Record<string, unknown>;

  constructor(code: ImagingErrorCode, message: string, options?: { cause?: unknown; details?: Record<string, unknown> }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = "ImagingError";
    this.code = code;
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
