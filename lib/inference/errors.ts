// Typed errors of the model engine. Callers (CLI, upload route) switch on `code`, never on message text,
// and the messages are written for a person: what is wrong with which input, not a stack of internals.
import { ErrorStatus, type ErrorCode } from "@/lib/core/errors";

export type CheckpointErrorCode =
  | "CHECKPOINT_TRUNCATED"
  | "CHECKPOINT_NOT_PYTORCH"
  | "CHECKPOINT_BAD_ZIP"
  | "CHECKPOINT_BAD_PICKLE"
  | "CHECKPOINT_UNEXPECTED_STRUCTURE"
  | "CHECKPOINT_UNSUPPORTED";

/** A checkpoint file that cannot be read: damaged, not PyTorch, or a layout this reader does not know. */
export class CheckpointError extends Error {
  readonly code: CheckpointErrorCode;
  constructor(code: CheckpointErrorCode, message: string) {
    super(message);
    this.name = "CheckpointError";
    this.code = code;
  }
}

export type ModelErrorCode =
  | "MODEL_ARCHITECTURE"
  | "MODEL_NOT_FOUND"
  | "MODEL_MANIFEST_INVALID"
  | "MODEL_INPUT_INVALID"
  | "MODEL_CLOSED"
  | "MODEL_RUNTIME";

/** The ErrorCode (lib/core/errors.ts) each stands for in an API answer: a missing or broken model is the
 *  server's state (503), not the upload's. */
export const MODEL_ERROR_KIND = {
  MODEL_ARCHITECTURE: "unprocessable",
  MODEL_NOT_FOUND: "service_unavailable",
  MODEL_MANIFEST_INVALID: "service_unavailable",
  MODEL_INPUT_INVALID: "unprocessable",
  MODEL_CLOSED: "service_unavailable",
  MODEL_RUNTIME: "internal",
} as const satisfies Record<ModelErrorCode, ErrorCode>;

/** HTTP status for an API response, from the one table in lib/core/errors.ts. */
export const MODEL_ERROR_STATUS = Object.fromEntries(
  Object.entries(MODEL_ERROR_KIND).map(([code, kind]) => [code, ErrorStatus[kind]]),
) as Record<ModelErrorCode, number>;

/** The weights do not describe a supported network, or a converted model cannot be loaded or run. */
export class ModelError extends Error {
  readonly code: ModelErrorCode;
  readonly errorCode: ErrorCode;
  readonly httpStatus: number;
  constructor(code: ModelErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "ModelError";
    this.code = code;
    this.errorCode = MODEL_ERROR_KIND[code];
    this.httpStatus = MODEL_ERROR_STATUS[code];
  }
}
