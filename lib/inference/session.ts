import "server-only";
import * as ort from "onnxruntime-node";

// Creates the onnxruntime session with deliberate options for a small CPU server, and picks the
// execution provider: CUDA only when asked for and loadable, otherwise CPU with the reason logged.

export type ExecutionProvider = "cpu" | "cuda";

export interface SessionConfig {
  executionProvider: ExecutionProvider;
  /** Threads inside one operator (convolutions). On 2 cores: 2, i.e. the caller plus one worker. */
  intraOpThreads: number;
  /** Threads running independent graph branches. DenseNet is one chain, so 1 (sequential execution). */
  interOpThreads: number;
  /**
   * Let intra-op threads spin-wait between operators. On an otherwise idle machine this saves a wake-up
   * per operator; when other processes compete for the cores, a spinning thread burns the time slice
   * its partner needs (measured here under load: 180 ms per image spinning, 111 ms without).
   */
  allowSpinning: boolean;
}

export interface SessionLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface CreatedSession {
  session: ort.InferenceSession;
  provider: ExecutionProvider;
  /** Why the provider differs from the one configured (CUDA requested but unavailable). */
  fallbackReason: string | null;
}

export function sessionOptions(cfg: SessionConfig, provider: ExecutionProvider): ort.InferenceSession.SessionOptions {
  return {
    executionProviders: [provider],
    intraOpNumThreads: cfg.intraOpThreads,
    interOpNumThreads: cfg.interOpThreads,
    executionMode: cfg.interOpThreads > 1 ? "parallel" : "sequential",
    // "all" includes the NCHWc layout transform, which is what makes convolutions fast on AVX2/AVX-512.
    graphOptimizationLevel: "all",
    // The arena and memory pattern let repeated runs of the same batch size reuse their buffers.
    enableCpuMemArena: true,
    enableMemPattern: true,
    logSeverityLevel: 3,
    extra: { session: { intra_op: { allow_spinning: cfg.allowSpinning ? "1" : "0" } } },
  };
}

export async function createSession(onnxPath: string, cfg: SessionConfig, log: SessionLogger): Promise<CreatedSession> {
  if (cfg.executionProvider === "cuda") {
    const cuda = ort.listSupportedBackends().find((b) => b.name === "cuda");
    try {
      const session = await ort.InferenceSession.create(onnxPath, sessionOptions(cfg, "cuda"));
      log.info({ provider: "cuda" }, "model session uses CUDA");
      return { session, provider: "cuda", fallbackReason: null };
    } catch (err) {
      const reason = !cuda
        ? "this onnxruntime-node build has no CUDA provider"
        : `CUDA provider could not be loaded (${(err as Error).message.split("\n")[0]})`;
      log.warn({ requested: "cuda", provider: "cpu", reason }, "CUDA requested but unavailable; using CPU");
      const session = await ort.InferenceSession.create(onnxPath, sessionOptions(cfg, "cpu"));
      return { session, provider: "cpu", fallbackReason: reason };
    }
  }
  const session = await ort.InferenceSession.create(onnxPath, sessionOptions(cfg, "cpu"));
  return { session, provider: "cpu", fallbackReason: null };
}
