// The only reader of process.env. Every setting the app knows is declared, defaulted and validated
// here, so a typo in a deployment fails at start with a readable message instead of deep in a request.
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";

const boolish = z
  .enum(["true", "false", "1", "0", ""])
  .optional()
  .transform((v) => v === "true" || v === "1");

const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),

  // Storage: PostgreSQL when DATABASE_URL is set, else an embedded PGlite database in DATA_DIR.
  DATABASE_URL: z.string().url().optional(),
  DATA_DIR: z.string().default("data"),
  STORAGE_DIR: z.string().optional(),
  /** Unset: files in STORAGE_DIR. `s3://bucket/prefix`: S3-compatible object storage (lib/storage/s3-store.ts). */
  STORAGE_URL: z
    .string()
    .regex(/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/[A-Za-z0-9!_.*'()/-]*)?$/, "must look like s3://bucket or s3://bucket/prefix")
    .optional(),
  /** Object storage other than AWS (MinIO, Ceph, R2 ...): its URL. Unset: AWS's endpoint for S3_REGION. */
  S3_ENDPOINT: z.string().url().optional(),
  S3_REGION: z.string().min(1).default("us-east-1"),
  /** Both or neither: unset, the AWS SDK's own chain (instance or pod role, shared config) supplies them. */
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  /** bucket in the path (http://host/bucket/key) rather than the host name: most self-hosted servers want this. */
  S3_FORCE_PATH_STYLE: boolish,
  /** Internal: set by `npm start` for the server it spawns, which shares its lock on the embedded database. */
  EMBEDDED_DB_LOCK_TOKEN: z.string().optional(),

  // Auth
  AUTH_SECRET: z.string().min(32).optional(),
  SESSION_MAX_AGE_HOURS: z.coerce.number().positive().default(12),
  ADMIN_EMAIL: z.string().email().optional(),
  ADMIN_PASSWORD: z.string().min(12).optional(),
  PUBLIC_URL: z.string().url().optional(),
  /**
   * Set by `npm start`, not by hand: with no PUBLIC_URL, the address it serves on this machine
   * (http://localhost:PORT, or the loopback address given with -H), which links for other people use
   * on a single-machine install. Unlike PUBLIC_URL it changes no origin check or sign-in URL.
   */
  LOCAL_URL: z.string().url().optional(),
  SECURE_COOKIES: boolish,
  /** Key of the patient link (lib/studies/patient-link.ts); unset: generated into DATA_DIR/patient-link-secret. */
  PATIENT_LINK_SECRET: z.string().min(32).optional(),

  // Model
  /** Unset: the trained release in models/densenet121-res224-all when installed, else the untrained demo. */
  MODEL_DIR: z.string().min(1).optional(),
  EXECUTION_PROVIDER: z.enum(["cpu", "cuda"]).default("cpu"),
  ORT_INTRA_OP_THREADS: z.coerce.number().int().min(1).max(64).default(2),
  ORT_INTER_OP_THREADS: z.coerce.number().int().min(1).max(64).default(1),
  /** Intra-op threads spin between operators: a little faster when the model has the machine to itself,
   *  but the app's own decoding, rendering, web requests and database share these cores, and a spinning
   *  thread takes the time slice they need (lib/inference/session.ts). */
  ORT_ALLOW_SPINNING: z.enum(["true", "false", "1", "0"]).default("false").transform((v) => v === "true" || v === "1"),

  // Imaging
  MAX_UPLOAD_MB: z.coerce.number().positive().max(2048).default(50),
  /** Memory all image decodes and renderings may hold at once (lib/imaging/decode-memory.ts); one
   *  image that needs more is refused before decoding, others wait for their turn. */
  DECODE_MEMORY_MB: z.coerce.number().int().min(64).max(65_536).default(768),
  QUALITY_GATES: z.enum(["warn", "refuse"]).default("warn"),
  /** zlib level of the display image and thumbnail PNGs (lib/imaging/display.ts): 0 stores them
   *  undeflated, the least CPU per upload; 2 is about as small as 6 on real films for half its CPU. */
  RENDERING_PNG_COMPRESSION: z.coerce.number().int().min(0).max(9).default(0),
  /** Threads of a worker process that decode, prepare and render its claimed images (lib/analyses/
   *  image-pool.ts). Unset: the cores ORT_INTRA_OP_THREADS leave free, at least one (1 on 2 cores). */
  IMAGE_THREADS: z.coerce.number().int().min(1).max(64).optional(),

  // Patient share links: days until a new link expires when the radiologist does not choose.
  SHARE_LINK_DAYS: z.coerce.number().int().min(1).max(365).default(30),

  // API limits (lib/api/rate-limit.ts, lib/queue/depth.ts, lib/api/multipart.ts). Rates are requests
  // per minute; 0 turns a limit off.
  RATE_LIMIT_PER_KEY: z.coerce.number().int().min(0).max(1_000_000).default(120),
  RATE_LIMIT_PER_IP: z.coerce.number().int().min(0).max(1_000_000).default(300),
  // Failed sign-ins (lib/auth/sign-in.ts), counted in PostgreSQL over a sliding window: per account
  // (refused even with the right password until the window passes) and per client address (0: off).
  SIGN_IN_FAILURES_PER_ACCOUNT: z.coerce.number().int().min(1).max(1000).default(5),
  SIGN_IN_FAILURES_PER_IP: z.coerce.number().int().min(0).max(100_000).default(20),
  SIGN_IN_WINDOW_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(15),
  /** Reverse proxies in front of the app that append to X-Forwarded-For (0: clients connect directly). */
  TRUSTED_PROXIES: z.coerce.number().int().min(0).max(10).default(0),
  // Analysis queue (lib/queue): uploads are stored and queued; workers analyse them in batches.
  /** Run a worker inside each web process (`npm run worker` starts worker-only processes). */
  WORKERS_IN_WEB: z.enum(["true", "false", "1", "0"]).default("true").transform((v) => v === "true" || v === "1"),
  /** Queued analyses a worker claims at once and runs as one onnxruntime batch. */
  INFERENCE_BATCH: z.coerce.number().int().min(1).max(64).default(8),
  /** Batches one worker process has in flight: 2 lets one decode or store while the other infers;
   *  more mostly adds memory on a CPU, where one inference already uses every core. */
  INFERENCE_CONCURRENCY: z.coerce.number().int().min(1).max(16).default(2),
  /** Waiting analyses before uploads are refused with 503 + Retry-After. */
  QUEUE_MAX: z.coerce.number().int().min(1).max(10_000_000).default(10_000),
  /** Requests waiting for results (`Prefer: wait`) are answered when the finishing worker's notification
   *  arrives (lib/analyses/completion.ts); they also look in the database this often, in case one was lost. */
  WAIT_POLL_SECONDS: z.coerce.number().positive().max(3600).default(1),
  /** A claimed job whose worker stops answering for this long is handed to another worker. */
  QUEUE_LEASE_SECONDS: z.coerce.number().int().min(10).max(3600).default(30),
  API_MAX_FILES: z.coerce.number().int().min(1).max(100).default(10),
  /** Whole multipart request, all files together. */
  MAX_REQUEST_MB: z.coerce.number().positive().max(4096).default(100),
  /** Bearer token for Prometheus scrapes of /api/metrics; without it only signed-in admins can read it. */
  METRICS_TOKEN: z.string().min(16).optional(),
  /** Lifetime of invitation links for new users and password resets. */
  INVITE_LINK_DAYS: z.coerce.number().int().min(1).max(90).default(7),

  // Results pushed to a PACS by STOW-RS (lib/pacs/delivery-jobs.ts, on the job queue): its DICOMweb base URL (the app posts to
  // <url>/studies), an optional Authorization header value, and the retry policy while it is down.
  DICOMWEB_RESULTS_URL: z.string().url().optional(),
  DICOMWEB_RESULTS_AUTHORIZATION: z.string().min(1).max(4096).optional(),
  /** First retry delay in whole seconds (the job queue's retryDelay); each later one doubles, up to an hour. */
  DICOMWEB_RETRY_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  /** Attempts before a delivery is marked failed (about a day at the defaults). */
  DICOMWEB_RESULTS_ATTEMPTS: z.coerce.number().int().min(1).max(1000).default(30),
});

export type Env = Omit<z.infer<typeof EnvSchema>, "MODEL_DIR"> & { MODEL_DIR: string };

export const TRAINED_MODEL_DIR = "models/densenet121-res224-all";
export const DEMO_MODEL_DIR = "models/densenet121-res224-all-demo";

// A first install has only the untrained demo model (the release is fetched when the network allows);
// once the trained release is converted, it takes over without any configuration change. The banner
// and health output always say which one is active.
function defaultModelDir(): string {
  return fs.existsSync(path.join(TRAINED_MODEL_DIR, "model.json")) ? TRAINED_MODEL_DIR : DEMO_MODEL_DIR;
}

function parseEnv(): Env {
  const parsed = EnvSchema.safeParse(process.env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n");
    throw new Error(`Invalid environment configuration:\n${problems}`);
  }
  if (!parsed.data.S3_ACCESS_KEY_ID !== !parsed.data.S3_SECRET_ACCESS_KEY) {
    throw new Error("Invalid environment configuration:\n  S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY: set both or neither");
  }
  return { ...parsed.data, MODEL_DIR: parsed.data.MODEL_DIR ?? defaultModelDir() };
}

export const env = parseEnv();

/** Absolute directory for embedded database, uploads and renderings. */
export const dataDir = path.resolve(env.DATA_DIR);
export const storageDir = path.resolve(env.STORAGE_DIR ?? path.join(dataDir, "storage"));

// next-auth v4 reads its own origin settings from process.env. With no PUBLIC_URL, trusting the Host
// header lets one build serve on any PORT and hostname; behind a reverse proxy, set PUBLIC_URL.
if (env.PUBLIC_URL) process.env.NEXTAUTH_URL ??= env.PUBLIC_URL;
else process.env.AUTH_TRUST_HOST ??= "true";
