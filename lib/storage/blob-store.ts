// What a place that keeps the app's files must do. Keys are "<kind>/<sha256>[.ext]" (content-store.ts
// makes them); two backends implement it, the local directory and S3-compatible object storage, and
// one contract test suite runs against both.

export interface BlobStore {
  /** Which backend, for the system page and logs: "local" or "s3". */
  readonly kind: "local" | "s3";
  /** Stores `bytes` under `key`, complete or not at all; writing the same content again is harmless. */
  put(key: string, bytes: Uint8Array, contentType: string): Promise<void>;
  /** The stored bytes; throws StoredObjectNotFound when nothing is stored under `key`. */
  get(key: string): Promise<Buffer>;
  exists(key: string): Promise<boolean>;
  /** Removes `key`; removing what is not there is not an error. */
  delete(key: string): Promise<void>;
  /** Every stored key, in no particular order (backups and the storage check walk them all). */
  list(): AsyncIterable<string>;
}

export class StoredObjectNotFound extends Error {
  readonly code = "STORED_OBJECT_NOT_FOUND";
  constructor(readonly key: string) {
    super(`Nothing is stored under ${key}.`);
    this.name = "StoredObjectNotFound";
  }
}
