// The only reader of process.env. Every setting the app knows is declared, defaulted and validated
// here, so a typo in a deployment fails at start with a readable message instead of deep in a request.
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { ROLES, type Role } from "./core/roles";

const boolish = z
  .enum(["true", "false", "1", "0", ""])
  .optional()
  .transform((v) => v === "true" || v === "1");

export const EnvSchema = z.object({
  /** Set to `production` by deployments (the Dockerfile); `npm start` serves the production build either way. */
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  /** HTTP port of `npm start`. */
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  /** pino log level. Logs never contain patient names or IDs. */
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),

  // Storage: PostgreSQL when DATABASE_URL is set, else an embedded PGlite database in DATA_DIR.
  /** PostgreSQL URL. Unset: embedded PGlite in `DATA_DIR/pglite`. */
  DATABASE_URL: z.string().url().optional(),
  /** Embedded database, session secret and (by default) stored images. */
  DATA_DIR: z.string().default("data"),
  /** Uploaded files and renderings, addressed by sha256 (when `STORAGE_URL` is unset). */
  STORAGE_DIR: z.string().optional(),
  /** Unset: files in STORAGE_DIR. `s3://bucket/prefix`: S3-compatible object storage (lib/storage/s3-store.ts). */
  STORAGE_URL: z
    .string()
    .regex(/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/[A-Za-z0-9!_.*'()/-]*)?$/, "must look like s3://bucket or s3://bucket/prefix")
    .optional(),
  /** Object storage other than AWS (MinIO, Ceph, R2 ...): its URL. Unset: AWS's endpoint for S3_REGION. */
  S3_ENDPOINT: z.string().url().optional(),
  /** Region of the bucket. */
  S3_REGION: z.string().min(1).default("us-east-1"),
  /** Both or neither: unset, the AWS SDK's own chain (instance or pod role, shared config) supplies them. */
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  /** Both or neither; unset: the AWS SDK's default chain (instance or pod role, shared config). */
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  /** bucket in the path (http://host/bucket/key) rather than the host name: most self-hosted servers want this. */
  S3_FORCE_PATH_STYLE: boolish,
  /** Internal: set by `npm start` for the server it spawns, which shares its lock on the embedded database. */
  EMBEDDED_DB_LOCK_TOKEN: z.string().optional(),

  // Auth
  /** Signs session tokens (≥ 32 characters). Unset: generated into `DATA_DIR` on first use. */
  AUTH_SECRET: z.string().min(32).optional(),
  /** Session lifetime. */
  SESSION_MAX_AGE_HOURS: z.coerce.number().positive().default(12),
  /** First admin created by `npm run setup`. */
  ADMIN_EMAIL: z.string().email().optional(),
  /** First admin created by `npm run setup`. */
  ADMIN_PASSWORD: z.string().min(12).optional(),
  /** The address people open the app at. Share and invitation links are built on it only (sharing is refused
   *  in production until it is set), browsers' `Origin` is checked against it, and next-auth's callbacks use
   *  it. Unset: the request's own `Host`. */
  PUBLIC_URL: z.string().url().optional(),
  /**
   * Set by `npm start`, not by hand: with no PUBLIC_URL, the address it serves on this machine
   * (http://localhost:PORT, or the loopback address given with -H), which links for other people use
   * on a single-machine install. Unlike PUBLIC_URL it changes no origin check or sign-in URL.
   */
  LOCAL_URL: z.string().url().optional(),
  /** Force `Secure` cookies (on automatically for an https `PUBLIC_URL`). */
  SECURE_COOKIES: boolish,
  /** Key of the patient link (lib/studies/patient-link.ts); unset: generated into DATA_DIR/patient-link-secret. */
  PATIENT_LINK_SECRET: z.string().min(32).optional(),

  // Single sign-on through the hospital's OpenID Connect provider (lib/sign-in/oidc/, docs/sign-in.md).
  // Set OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET together; the redirect URI to register at the
  // provider is <PUBLIC_URL>/api/auth/callback/oidc, the post-logout one <PUBLIC_URL>/sign-in.
  /** The issuer URL; its /.well-known/openid-configuration is read at sign-in (discovery). */
  OIDC_ISSUER: z.string().url().optional(),
  /** The client id this app is registered under at the provider. */
  OIDC_CLIENT_ID: z.string().min(1).optional(),
  /** The client secret of that registration (confidential client, code flow with PKCE). */
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  /** The provider's name on the button: "Sign in with <OIDC_NAME>". */
  OIDC_NAME: z.string().trim().min(1).max(60).default("single sign-on"),
  /** Scopes asked for; the role claim must come with one of them (Keycloak: a "groups" mapper on a scope). */
  OIDC_SCOPES: z.string().trim().min(6).default("openid email profile"),
  /** The claim holding the person's groups or roles (a list or a string), in the id_token or from userinfo. */
  OIDC_ROLE_CLAIM: z.string().trim().min(1).default("groups"),
  /** `value=role` pairs, comma-separated: `cxr-admins=admin,cxr-radiologists=radiologist`. Several matches: the most privileged role. */
  OIDC_ROLE_MAP: z.string().default(""),
  /** auto: an account is made at the first sign-in; pre: only accounts an admin created for single sign-on may sign in. */
  OIDC_PROVISIONING: z.enum(["auto", "pre"]).default("auto"),
  /** How long a single sign-on session lasts before the person goes through the provider again, which
   *  is when a person removed or disabled there loses access (and a changed role applies). */
  OIDC_SESSION_MINUTES: z.coerce.number().int().min(5).max(24 * 60).default(60),
  /** off: only single sign-on (and the break-glass admin, BREAK_GLASS_EMAIL). */
  LOCAL_PASSWORDS: z.enum(["on", "off"]).default("on"),
  /** A local admin account that signs in with its password (and second factor) even when LOCAL_PASSWORDS=off, for when the provider is down. */
  BREAK_GLASS_EMAIL: z.string().trim().toLowerCase().email().optional(),
  /** Second factor (TOTP) for local accounts: required for admins (default), for everyone, or for nobody (enrolled factors are still asked for). */
  MFA_REQUIRED: z.enum(["admins", "all", "off"]).default("admins"),

  // Model
  /** Unset: the trained release in models/densenet121-res224-all when installed, else the untrained demo. */
  MODEL_DIR: z.string().min(1).optional(),
  /** The converted view model (npm run model:fetch -- xinario-view); set, every film's view is checked
   *  from its pixels and a lateral is flagged like a DICOM lateral (lib/anatomy/view-check.ts). Unset: off. */
  VIEW_MODEL_DIR: z.string().min(1).optional(),
  /** The converted anatomy model (npm run model:fetch -- chestx-det-pspnet): with ANATOMY on, every frontal
   *  film gets its own lower-priority segmentation job after its findings are saved (docs/anatomy.md). Unset: no anatomy. */
  ANATOMY_MODEL_DIR: z.string().min(1).optional(),
  /** `on`: with ANATOMY_MODEL_DIR, queue every frontal film's segmentation and run them here; `queue`: queue them
   *  but leave running them to other workers (a GPU host with ANATOMY=on); `off`: no segmentations at all. */
  ANATOMY: z.enum(["on", "queue", "off"]).default("on"),
  /** An int8 quantization of MODEL_DIR (`npm run model:quantize`), served only when MODEL_PRECISION=int8. */
  MODEL_INT8_DIR: z.string().min(1).optional(),
  /** The site's choice. int8 serves only once a saved comparison of the installed pair passed
   *  (`npm run evaluate -- --compare ... --save`, lib/inference/precision-choice.ts); until then fp32 serves. */
  MODEL_PRECISION: z.enum(["fp32", "int8"]).default("fp32"),
  /** `cpu` or `cuda` (falls back to CPU with a logged reason). */
  EXECUTION_PROVIDER: z.enum(["cpu", "cuda"]).default("cpu"),
  /** onnxruntime thread pools (set intra to the core count). */
  ORT_INTRA_OP_THREADS: z.coerce.number().int().min(1).max(64).default(2),
  /** onnxruntime thread pools (set intra to the core count). */
  ORT_INTER_OP_THREADS: z.coerce.number().int().min(1).max(64).default(1),
  /** Intra-op threads spin between operators: a little faster when the model has the machine to itself,
   *  but the app's own decoding, rendering, web requests and database share these cores, and a spinning
   *  thread takes the time slice they need (lib/inference/session.ts). */
  ORT_ALLOW_SPINNING: z.enum(["true", "false", "1", "0"]).default("false").transform((v) => v === "true" || v === "1"),

  // Imaging
  /** Size limit per file. */
  MAX_UPLOAD_MB: z.coerce.number().positive().max(2048).default(50),
  /** Memory all image decodes and renderings may hold at once (lib/imaging/decode-memory.ts); one
   *  image that needs more is refused before decoding, others wait for their turn. */
  DECODE_MEMORY_MB: z.coerce.number().int().min(64).max(65_536).default(768),
  /** `warn`: quality problems are warnings on the result; `refuse`: they reject the upload (422). */
  QUALITY_GATES: z.enum(["warn", "refuse"]).default("warn"),
  /** zlib level of the display image and thumbnail PNGs (lib/imaging/display.ts): 0 stores them
   *  undeflated, the least CPU per upload; 2 is about as small as 6 on real films for half its CPU. */
  RENDERING_PNG_COMPRESSION: z.coerce.number().int().min(0).max(9).default(0),
  /** Threads of a worker process that decode, prepare and render its claimed images (lib/analyses/
   *  image-pool.ts). Unset: the cores ORT_INTRA_OP_THREADS leave free, at least one (1 on 2 cores). */
  IMAGE_THREADS: z.coerce.number().int().min(1).max(64).optional(),

  // Patient share links: days until a new link expires when the radiologist does not choose.
  /** Default lifetime of patient share links. */
  SHARE_LINK_DAYS: z.coerce.number().int().min(1).max(365).default(30),

  // API limits (lib/api/rate-limit.ts, lib/queue/depth.ts, lib/uploads/multipart.ts). Rates are requests
  // per minute; 0 turns a limit off.
  /** Requests per minute per API key (burst of the same size), for keys without a limit of their own (set by
   *  an admin per key); `0` turns it off. Counted in PostgreSQL, shared by every instance. */
  RATE_LIMIT_PER_KEY: z.coerce.number().int().min(0).max(1_000_000).default(120),
  /** Requests per minute per client address on the API and public endpoints; `0` turns it off. Counted in
   *  PostgreSQL, shared by every instance. */
  RATE_LIMIT_PER_IP: z.coerce.number().int().min(0).max(1_000_000).default(300),
  // Failed sign-ins (lib/sign-in/sign-in.ts), counted in PostgreSQL over a sliding window: per account
  // (refused even with the right password until the window passes) and per client address (0: off).
  /** Failed sign-ins per account within the window; beyond that the account is refused (even with the right
   *  password) until the window passes. An admin's password reset lifts it. */
  SIGN_IN_FAILURES_PER_ACCOUNT: z.coerce.number().int().min(1).max(1000).default(5),
  /** Failed sign-ins per client address within the window (successes do not count); `0` turns it off. */
  SIGN_IN_FAILURES_PER_IP: z.coerce.number().int().min(0).max(100_000).default(20),
  /** Sliding window of both sign-in limits. */
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
  /** Retries of an analysis for failures on our side (a worker that died, the database or the storage
   *  away), with exponential backoff from QUEUE_RETRY_SECONDS up to QUEUE_RETRY_MAX_SECONDS. They never
   *  make an analysis `failed`: once spent, the analysis is queued again as delayed (docs/storage-and-queue.md). */
  QUEUE_TRANSIENT_RETRIES: z.coerce.number().int().min(1).max(1000).default(12),
  /** First wait, in seconds, before an analysis is retried after a failure on our side (then doubling). */
  QUEUE_RETRY_SECONDS: z.coerce.number().int().min(1).max(3600).default(2),
  /** Longest wait, in seconds, between two of those retries. */
  QUEUE_RETRY_MAX_SECONDS: z.coerce.number().int().min(1).max(86_400).default(120),
  /** How long a delayed analysis (its transient retries spent) waits before the next round of them. */
  QUEUE_DELAYED_RETRY_SECONDS: z.coerce.number().int().min(1).max(86_400).default(600),
  /** Files per upload request. */
  API_MAX_FILES: z.coerce.number().int().min(1).max(100).default(10),
  /** Whole multipart request, all files together. */
  MAX_REQUEST_MB: z.coerce.number().positive().max(4096).default(100),
  /** Bearer token for Prometheus scrapes of /api/metrics; without it only signed-in admins can read it. */
  METRICS_TOKEN: z.string().min(16).optional(),
  /** Lifetime of invitation links for new users and password resets. */
  INVITE_LINK_DAYS: z.coerce.number().int().min(1).max(90).default(7),

  // Results pushed to a PACS by STOW-RS (lib/pacs/delivery-jobs.ts, on the job queue): its DICOMweb base URL (the app posts to
  // <url>/studies), an optional Authorization header value, and the retry policy while it is down.
  /** DICOMweb base URL of the PACS that receives the results by STOW-RS (the app posts to `<url>/studies`),
   *  e.g. `http://orthanc:8042/dicom-web`. Unset: results are only downloadable. */
  DICOMWEB_RESULTS_URL: z.string().url().optional(),
  /** Value of the `Authorization` header sent with them, e.g. `Basic b3J0aGFuYzpvcnRoYW5j`. */
  DICOMWEB_RESULTS_AUTHORIZATION: z.string().min(1).max(4096).optional(),
  /** First retry delay in whole seconds (the job queue's retryDelay); each later one doubles, up to an hour. */
  DICOMWEB_RETRY_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  /** Attempts before a delivery is marked failed (about a day at the defaults). */
  DICOMWEB_RESULTS_ATTEMPTS: z.coerce.number().int().min(1).max(1000).default(30),

  // Retention (lib/lifecycle): the defaults of a fresh install; an admin's rules on the Data page win.
  // Days counted from an analysis' upload; unset keeps forever. A legal hold stops every rule.
  /** Original files (DICOM with patient data in its header, PNG, JPEG). */
  RETENTION_ORIGINALS_DAYS: z.coerce.number().int().min(1).max(36_500).optional(),
  /** Display images, thumbnails and pixel streams. */
  RETENTION_RENDERINGS_DAYS: z.coerce.number().int().min(1).max(36_500).optional(),
  /** Analyses with their findings, reviews, reports and shares. */
  RETENTION_ANALYSES_DAYS: z.coerce.number().int().min(1).max(36_500).optional(),
  /** When the retention job runs (cron, server time, on the job queue's scheduler). */
  RETENTION_SCHEDULE: z.string().min(9).max(100).default("17 3 * * *"),
  /** Items one retention run removes at most per kind; the rest waits for the next run. */
  RETENTION_BATCH: z.coerce.number().int().min(1).max(100_000).default(500),
});

export type Env = Omit<z.infer<typeof EnvSchema>, "MODEL_DIR" | "OIDC_ROLE_MAP"> & {
  MODEL_DIR: string;
  /** OIDC_ROLE_MAP parsed: claim value -> role. */
  OIDC_ROLE_MAP: ReadonlyMap<string, Role>;
};

/** Parses OIDC_ROLE_MAP; throws a readable message for a pair that is not `value=role`. */
export function parseRoleMap(raw: string): Map<string, Role> {
  const out = new Map<string, Role>();
  for (const pair of raw.split(",").map((p) => p.trim()).filter(Boolean)) {
    const at = pair.lastIndexOf("=");
    const value = pair.slice(0, at).trim();
    const role = pair.slice(at + 1).trim() as Role;
    if (at <= 0 || !value || !ROLES.includes(role)) {
      throw new Error(`OIDC_ROLE_MAP: "${pair}" is not value=role with a role among ${ROLES.join(", ")}`);
    }
    out.set(value, role);
  }
  return out;
}

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
  const d = parsed.data;
  const oidcParts = [d.OIDC_ISSUER, d.OIDC_CLIENT_ID, d.OIDC_CLIENT_SECRET].filter(Boolean).length;
  if (oidcParts !== 0 && oidcParts !== 3) {
    throw new Error("Invalid environment configuration:\n  OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET: set all three or none");
  }
  if (d.LOCAL_PASSWORDS === "off" && !d.OIDC_ISSUER) {
    throw new Error("Invalid environment configuration:\n  LOCAL_PASSWORDS=off needs single sign-on (OIDC_ISSUER ...): nobody could sign in");
  }
  let roleMap: Map<string, Role>;
  try {
    roleMap = parseRoleMap(d.OIDC_ROLE_MAP);
  } catch (error) {
    throw new Error(`Invalid environment configuration:\n  ${(error as Error).message}`);
  }
  if (d.OIDC_ISSUER && roleMap.size === 0) {
    throw new Error("Invalid environment configuration:\n  OIDC_ROLE_MAP: single sign-on needs at least one value=role pair");
  }
  return { ...d, OIDC_ROLE_MAP: roleMap, MODEL_DIR: d.MODEL_DIR ?? defaultModelDir() };
}

export const env = parseEnv();

/** Absolute directory for embedded database, uploads and renderings. */
export const dataDir = path.resolve(env.DATA_DIR);
export const storageDir = path.resolve(env.STORAGE_DIR ?? path.join(dataDir, "storage"));

// next-auth v4 reads its own origin settings from process.env. With no PUBLIC_URL, trusting the Host
// header lets one build serve on any PORT and hostname; behind a reverse proxy, set PUBLIC_URL.
if (env.PUBLIC_URL) process.env.NEXTAUTH_URL ??= env.PUBLIC_URL;
else process.env.AUTH_TRUST_HOST ??= "true";
