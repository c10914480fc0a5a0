import "server-only";
import crypto from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { StoredObjectNotFound, type BlobStore } from "./blob-store";

// Files under one directory. Originals can hold patient names and IDs (DICOM headers): every file is
// readable by the app's user alone (0600, directories 0700), whatever the umask.
const FILE_MODE = 0o600;
const DIR_MODE = 0o700;

// Temp names are unique per write: this process's id and nonce (processes on other hosts may share the
// directory) and a counter, rather than fresh random bytes for every file.
const tempTag = `${process.pid}.${crypto.randomBytes(4).toString("hex")}`;
let tempCount = 0;

export class LocalBlobStore implements BlobStore {
  readonly kind = "local" as const;
  /** Directories this store made (or found) already. */
  private readonly made = new Set<string>();

  constructor(readonly root: string) {}

  pathOf(key: string): string {
    const target = path.resolve(this.root, key);
    if (!target.startsWith(path.resolve(this.root) + path.sep)) throw new Error("storage keys stay inside the storage directory");
    return target;
  }

  /** Writes a temp file and renames it, so a crash never leaves a half-written file under a real key. */
  async put(key: string, bytes: Uint8Array): Promise<void> {
    const target = this.pathOf(key);
    const temp = `${target}.${tempTag}.${(tempCount++).toString(36)}.tmp`;
    try {
      await this.writeNew(temp, bytes);
      await fs.rename(temp, target);
    } catch (error) {
      await fs.rm(temp, { force: true });
      throw error;
    }
  }

  /** Keys share a few directories (one per kind): each is made once per process, not per file. */
  private async writeNew(file: string, bytes: Uint8Array): Promise<void> {
    const dir = path.dirname(file);
    if (this.made.has(dir)) {
      try {
        return await fs.writeFile(file, bytes, { mode: FILE_MODE });
      } catch (error) {
        // Removed under a running process (a wiped storage directory): made again below.
        if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
        this.made.delete(dir);
      }
    }
    await fs.mkdir(dir, { recursive: true, mode: DIR_MODE });
    this.made.add(dir);
    await fs.writeFile(file, bytes, { mode: FILE_MODE });
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

  /** Finished files only: a write's temp file is not a stored object. */
  async *list(): AsyncIterable<string> {
    let entries;
    try {
      entries = await fs.readdir(this.root, { recursive: true, withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
      throw error;
    }
    for (const e of entries) {
      if (!e.isFile() || e.name.endsWith(".tmp")) continue;
      yield path.relative(this.root, path.join(e.parentPath, e.name)).split(path.sep).join("/");
    }
  }
}
