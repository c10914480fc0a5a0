// The content-addressed store on its default backend, the local directory: keys are sha256 digests,
// writes are atomic and private to the app's user, and anything that is not a digest is refused.
import { vi } from "vitest";

vi.hoisted(() => {
  process.env.STORAGE_DIR = `${process.env.DATA_DIR}/storage-content-store-test`;
});

import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { storageDir } from "@/lib/env";
import { blobStore, deleteStored, getStored, hasStored, putStored, sha256Hex, storageKey } from "./content-store";

describe("content store", () => {
  it("stores, reads, reports and deletes by sha256, leaving no temporary files", async () => {
    const bytes = Buffer.from("a chest film, in spirit");
    const sha = sha256Hex(bytes);
    expect(sha).toMatch(/^[0-9a-f]{64}$/);
    expect(await hasStored("original", sha)).toBe(false);
    expect(await getStored("original", sha)).toBeNull();

    await putStored("original", sha, bytes);
    await putStored("display", sha, bytes);
    expect(await hasStored("original", sha)).toBe(true);
    expect((await getStored("original", sha))!.equals(bytes)).toBe(true);
    expect(blobStore().kind).toBe("local");
    expect(fs.readFileSync(path.join(storageDir, "display", `${sha}.png`)).equals(bytes)).toBe(true);
    expect(fs.statSync(path.join(storageDir, "original", sha)).mode & 0o777).toBe(0o600);
    const all = fs.readdirSync(storageDir, { recursive: true }) as string[];
    expect(all.filter((f) => f.endsWith(".tmp"))).toEqual([]);

    await deleteStored("original", sha);
    expect(await hasStored("original", sha)).toBe(false);
    expect(await hasStored("display", sha)).toBe(true);
    await deleteStored("original", sha); // deleting twice is fine
  });

  it("overwrites atomically: concurrent writers of the same key leave one complete file", async () => {
    const sha = sha256Hex(Buffer.from("race"));
    const big = Buffer.alloc(2 * 1024 * 1024, 7);
    await Promise.all(Array.from({ length: 5 }, () => putStored("thumbnail", sha, big)));
    expect((await getStored("thumbnail", sha))!.equals(big)).toBe(true);
  });

  it("refuses keys that are not sha256 digests (no path traversal)", async () => {
    expect(() => storageKey("original", "../../etc/passwd")).toThrow(/sha256/);
    await expect(putStored("original", "ABC", Buffer.from("x"))).rejects.toThrow(/sha256/);
    expect(await getStored("original", "../secret")).toBeNull();
    expect(await hasStored("original", "0".repeat(63))).toBe(false);
  });
});
