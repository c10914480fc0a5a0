import "server-only";
import crypto from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { storageDir } from "@/lib/env";

// Content-addressed files on local disk: <STORAGE_DIR>/<kind>/<sha256>[.ext]. The one module that
// knows the layout, so moving to object storage changes this file only.
export const STORED_KINDS = {
  original: "",
  display: ".png",
  thumbnail: ".png",
  pixels: ".bin",
} as const;
export type StoredKind = keyof typeof STORED_KINDS;

const SHA256 = /^[0-9a-f]{64}$/;

export function sha256Hex(bytes: Uint8Array): string {
  return crypto.createHash("sha256").update(bytes).digest("hex");
}

export function storedPath(kind: StoredKind, sha256: string): string {
  if (!SHA256.test(sha256)) throw new Error("storage keys are sha256 hex digests");
  return path.join(storageDir, kind, `${sha256}${STORED_KINDS[kind]}`);
}

/** Writes atomically (temp file + rename) so a crash never leaves a half-written file under a real key. */
export async function putStored(kind: StoredKind, sha256: string, bytes: Uint8Array): Promise<void> {
  const target = storedPath(kind, sha256);
  await fs.mkdir(path.dirname(target), { recursive: true });
  const temp = `${target}.${process.pid}.${crypto.randomBytes(4).toString("hex")}.tmp`;
  await fs.writeFile(temp, bytes);
  await fs.rename(temp, target);
}

export async function getStored(kind: StoredKind, sha256: string): Promise<Buffer | null> {
  if (!SHA256.test(sha256)) return null;
  try {
    return await fs.readFile(storedPath(kind, sha256));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}

export async function hasStored(kind: StoredKind, sha256: string): Promise<boolean> {
  if (!SHA256.test(sha256)) return false;
  return fs.stat(storedPath(kind, sha256)).then(
    (s) => s.isFile(),
    () => false,
  );
}

export async function deleteStored(kind: StoredKind, sha256: string): Promise<void> {
  await fs.rm(storedPath(kind, sha256), { force: true });
}
