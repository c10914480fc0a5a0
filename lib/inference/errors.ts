// Typed errors of the model engine. Callers (CLI, upload route) switch on `code`, never on message text,
// and the messages are written for a person: what is wrong with which input, not a stack of internals.

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

/** HTTP status for an API response: a missing or broken model is the server's state (503), not the upload's. */
export const MODEL_ERROR_STATUS: Record<ModelErrorCode, number> = {
  MODEL_ARCHITECTURE: 422,
  MODEL_NOT_FOUND: 503,
  MODEL_MANIFEST_INVALID: 503,
  MODEL_INPUT_INVALID: 422,
  MODEL_CLOSED: 503,
  MODEL_RUNTIME: 500,
};

/** The weights do not describe a supported network, or a converted model cannot be loaded or run. */
export class ModelError extends Error {
  readonly code: ModelErrorCode;
  readonly httpStatus: number;
  constructor(code: ModelErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "ModelError";
    this.code = code;
    this.httpStatus = MODEL_ERROR_STATUS[code];
  }
}
