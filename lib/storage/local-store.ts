import "server-only";
import crypto from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { StoredObjectNotFound, type BlobStore } from "./blob-store";

// Files under one directory. Originals can hold patient names and IDs (DICOM headers): every file is
// readable by the app's user alone (0600, directories 0700), whatever the umask.
const FILE_MODE = 0o600;
const DIR_MODE = 0o700;

export class LocalBlobStore implements BlobStore {
  readonly kind = "local" as const;

  constructor(readonly root: string) {}

  pathOf(key: string): string {
    const target = path.resolve(this.root, key);
    if (!target.startsWith(path.resolve(this.root) + path.sep)) throw new Error("storage keys stay inside the storage directory");
    return target;
  }

  /** Writes a temp file and renames it, so a crash never leaves a half-written file under a real key. */
  async put(key: string, bytes: Uint8Array): Promise<void> {
    const target = this.pathOf(key);
    await fs.mkdir(path.dirname(target), { recursive: true, mode: DIR_MODE });
    const temp = `${target}.${process.pid}.${crypto.randomBytes(4).toString("hex")}.tmp`;
    try {
      await fs.writeFile(temp, bytes, { mode: FILE_MODE });
      await fs.rename(temp, target);
    } catch (error) {
      await fs.rm(temp, { force: true });
      throw error;
    }
  }

  async get(key: string): Promise<Buffer> {
    try {
      return await fs.readFile(this.pathOf(key));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") throw new StoredObjectNotFound(key);
      throw error;
    }
  }

  async exists(key: string): Promise<boolean> {
    try {
      return (await fs.stat(this.pathOf(key))).isFile();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await fs.rm(this.pathOf(key), { force: true });
  }
}
