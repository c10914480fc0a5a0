import "server-only";
import crypto from "node:crypto";
import { AppError } from "@/lib/core/errors";
import { env, storageDir } from "@/lib/env";
import { errorSummary, logger } from "@/lib/log";
import { StoredObjectNotFound, type BlobStore } from "./blob-store";
import { LocalBlobStore } from "./local-store";
import { parseStorageUrl, S3BlobStore } from "./s3-store";

// The app's files, content-addressed: "<kind>/<sha256>[.ext]" in the local STORAGE_DIR (default) or
// in S3-compatible object storage (STORAGE_URL). Every reader and writer of stored files goes through
// here; this module alone knows the key layout and which backend is in use.
export const STORED_KINDS = {
  original: { ext: "", contentType: "application/octet-stream" },
  display: { ext: ".png", contentType: "image/png" },
  thumbnail: { ext: ".png", contentType: "image/png" },
  pixels: { ext: ".bin", contentType: "application/octet-stream" },
} as const;
export type StoredKind = keyof typeof STORED_KINDS;

const SHA256 = /^[0-9a-f]{64}$/;

export function sha256Hex(bytes: Uint8Array): string {
  return crypto.createHash("sha256").update(bytes).digest("hex");
}

export function storageKey(kind: StoredKind, sha256: string): string {
  if (!SHA256.test(sha256)) throw new Error("storage keys are sha256 hex digests");
  return `${kind}/${sha256}${STORED_KINDS[kind].ext}`;
}

function openStore(): BlobStore {
  if (!env.STORAGE_URL) return new LocalBlobStore(storageDir);
  const { bucket, prefix } = parseStorageUrl(env.STORAGE_URL);
  return new S3BlobStore({
    bucket,
    prefix,
    endpoint: env.S3_ENDPOINT,
    region: env.S3_REGION,
    credentials:
      env.S3_ACCESS_KEY_ID && env.S3_SECRET_ACCESS_KEY
        ? { accessKeyId: env.S3_ACCESS_KEY_ID, secretAccessKey: env.S3_SECRET_ACCESS_KEY }
        : undefined,
    forcePathStyle: env.S3_FORCE_PATH_STYLE,
  });
}

// One per process, on globalThis so that dev-mode hot reloads keep one S3 connection pool.
const globalForStore = globalThis as unknown as { cxrBlobStore?: BlobStore };

export function blobStore(): BlobStore {
  globalForStore.cxrBlobStore ??= openStore();
  return globalForStore.cxrBlobStore;
}

/** Where files are kept, for the admin system page: never credentials. */
export function storageLocation(): { kind: BlobStore["kind"]; where: string } {
  if (!env.STORAGE_URL) return { kind: "local", where: storageDir };
  return { kind: "s3", where: env.S3_ENDPOINT ? `${env.STORAGE_URL} at ${env.S3_ENDPOINT}` : `${env.STORAGE_URL} (AWS ${env.S3_REGION})` };
}

/**
 * Storage that fails (object storage unreachable, a full or read-only disk) is the service's trouble,
 * not the caller's: a 503 with Retry-After that says so, the cause in the log only.
 */
async function guarded<T>(operation: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof StoredObjectNotFound || error instanceof AppError) throw error;
    logger.error({ err: errorSummary(error), backend: blobStore().kind, operation }, "file storage failed");
    throw new AppError("service_unavailable", "File storage is not reachable right now. Please try again shortly.", {
      retryAfterSeconds: 10,
    });
  }
}

export async function putStored(kind: StoredKind, sha256: string, bytes: Uint8Array): Promise<void> {
  const key = storageKey(kind, sha256);
  await guarded("put", () => blobStore().put(key, bytes, STORED_KINDS[kind].contentType));
}

/** null when nothing is stored under that digest (or it is not a digest at all). */
export async function getStored(kind: StoredKind, sha256: string): Promise<Buffer | null> {
  if (!SHA256.test(sha256)) return null;
  try {
    return await guarded("get", () => blobStore().get(storageKey(kind, sha256)));
  } catch (error) {
    if (error instanceof StoredObjectNotFound) return null;
    throw error;
  }
}

export async function hasStored(kind: StoredKind, sha256: string): Promise<boolean> {
  if (!SHA256.test(sha256)) return false;
  return guarded("exists", () => blobStore().exists(storageKey(kind, sha256)));
}

export async function deleteStored(kind: StoredKind, sha256: string): Promise<void> {
  await guarded("delete", () => blobStore().delete(storageKey(kind, sha256)));
}

/** The kind and digest a stored key stands for; null for a key this app did not write. */
export function parseStorageKey(key: string): { kind: StoredKind; sha256: string } | null {
  const match = /^([a-z]+)\/([0-9a-f]{64})(\.[a-z]+)?$/.exec(key);
  if (!match || !(match[1] in STORED_KINDS)) return null;
  const kind = match[1] as StoredKind;
  return (match[3] ?? "") === STORED_KINDS[kind].ext ? { kind, sha256: match[2] } : null;
}

/** Every stored key (backups and the storage check). */
export async function listStoredKeys(): Promise<string[]> {
  return guarded("list", async () => {
    const keys: string[] = [];
    for await (const key of blobStore().list()) keys.push(key);
    return keys.sort();
  });
}

/** The bytes under a key as listed, whatever its kind (null when gone meanwhile). */
export async function getStoredKey(key: string): Promise<Buffer | null> {
  try {
    return await guarded("get", () => blobStore().get(key));
  } catch (error) {
    if (error instanceof StoredObjectNotFound) return null;
    throw error;
  }
}

/** Writes a key of this app's layout back (a restore). */
export async function putStoredKey(key: string, bytes: Uint8Array): Promise<void> {
  const parsed = parseStorageKey(key);
  if (!parsed) throw new Error(`not a key of this app's storage: ${key}`);
  await guarded("put", () => blobStore().put(key, bytes, STORED_KINDS[parsed.kind].contentType));
}
