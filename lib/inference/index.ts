// Public API of the model engine. Client components import types from "@/lib/inference/manifest" and
// "@/lib/inference/calibrate" only (no server code there).
import "server-only";

export { loadModel, MAX_BATCH, type LoadedModel, type LoadOptions, type ModelOutput } from "./engine";
export { getModel, modelStatus, closeAllModels, type ModelStatus } from "./registry";
export { calibrate, opNorm, sigmoid, type Finding } from "./calibrate";
export { ManifestSchema, MANIFEST_FILE, ONNX_FILE, type ModelManifest } from "./manifest";
export { readManifest } from "./model-dir";
export { CheckpointError, ModelError, MODEL_ERROR_STATUS, type CheckpointErrorCode, type ModelErrorCode } from "./errors";
export type { ExecutionProvider } from "./session";
