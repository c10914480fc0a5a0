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

/** The weights do not describe a supported network, or a converted model cannot be loaded or run. */
export class ModelError extends Error {
  readonly code: ModelErrorCode;
  constructor(code: ModelErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "ModelError";
    this.code = code;
  }
}
