// One contract, two backends: the local directory and S3-compatible object storage (a real s3rver on
// a loopback port, never a mocked client) must behave alike for everything the app relies on.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startS3Server, type TestS3Server } from "@/test/support/s3-server";
import { StoredObjectNotFound, type BlobStore } from "./blob-store";
import { LocalBlobStore } from "./local-store";
import { S3BlobStore } from "./s3-store";

let s3: TestS3Server;
const localRoot = fs.mkdtempSync(path.join(os.tmpdir(), "cxr-blob-local-"));
const opened: S3BlobStore[] = [];

beforeAll(async () => {
  s3 = await startS3Server("cxr-contract");
});
afterAll(async () => {
  for (const store of opened) store.close();
  await s3?.close();
  fs.rmSync(localRoot, { recursive: true, force: true });
});

function s3Store(prefix: string): S3BlobStore {
  const store = new S3BlobStore({
    bucket: s3.bucket,
    prefix,
    endpoint: s3.endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
    forcePathStyle: true,
  });
  opened.push(store);
  return store;
}

const backends: [string, () => BlobStore][] = [
  ["local directory", () => new LocalBlobStore(localRoot)],
  ["S3 object storage", () => s3Store("contract/prefix")],
];

describe.each(backends)("blob store contract: %s", (_name, open) => {
  const key = (n: string) => `original/${n.padStart(64, "0")}`;

  it("puts, reports and gets the same bytes back", async () => {
    const store = open();
    const bytes = Buffer.from("a chest film, in spirit \u0000\u00ff binary too");
    expect(await store.exists(key("1"))).toBe(false);
    await store.put(key("1"), bytes, "application/octet-stream");
    expect(await store.exists(key("1"))).toBe(true);
    expect((await store.get(key("1"))).equals(bytes)).toBe(true);
  });

  it("throws a typed not-found for a missing key", async () => {
    const store = open();
    const error = await store.get(key("2")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoredObjectNotFound);
    expect((error as StoredObjectNotFound).key).toBe(key("2"));
  });

  it("re-puts the same content idempotently, also concurrently, leaving one complete object", async () => {
    const store = open();
    const big = Buffer.alloc(3 * 1024 * 1024 + 17, 7);
    await store.put(key("3"), big, "image/png");
    await Promise.all(Array.from({ length: 4 }, () => store.put(key("3"), big, "image/png")));
    expect((await store.get(key("3"))).equals(big)).toBe(true);
  });

  it("deletes, and deleting what is not there is fine", async () => {
    const store = open();
    await store.put(key("4"), Buffer.from("x"), "application/octet-stream");
    await store.delete(key("4"));
    expect(await store.exists(key("4"))).toBe(false);
    await expect(store.get(key("4"))).rejects.toBeInstanceOf(StoredObjectNotFound);
    await store.delete(key("4"));
  });

  it("keeps kinds apart: the same digest under another kind is another object", async () => {
    const store = open();
    const sha = "ab".repeat(32);
    await store.put(`display/${sha}.png`, Buffer.from("display"), "image/png");
    expect(await store.exists(`original/${sha}`)).toBe(false);
    expect((await store.get(`display/${sha}.png`)).toString()).toBe("display");
  });

  it("lists every stored key under its own name (and nothing deleted)", async () => {
    const store = open();
    const listed = async () => {
      const keys: string[] = [];
      for await (const k of store.list()) keys.push(k);
      return keys.sort();
    };
    await store.put(key("5"), Buffer.from("five"), "application/octet-stream");
    await store.put(`thumbnail/${"cd".repeat(32)}.png`, Buffer.from("thumb"), "image/png");
    expect(await listed()).toEqual(expect.arrayContaining([key("1"), key("3"), key("5"), `thumbnail/${"cd".repeat(32)}.png`]));
    expect(await listed()).not.toContain(key("4"));
    await store.delete(key("5"));
    expect(await listed()).not.toContain(key("5"));
  });
});

describe("local directory specifics", () => {
  it("writes files readable by the app's user alone and leaves no temporary files", async () => {
    const store = new LocalBlobStore(localRoot);
    await store.put(`original/${"cd".repeat(32)}`, Buffer.from("dicom with a patient name"));
    const file = store.pathOf(`original/${"cd".repeat(32)}`);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.dirname(file)).mode & 0o077).toBe(0);
    const all = fs.readdirSync(localRoot, { recursive: true }) as string[];
    expect(all.filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("refuses keys that would leave the directory", () => {
    const store = new LocalBlobStore(localRoot);
    expect(() => store.pathOf("../../etc/passwd")).toThrow(/inside/);
  });
});

describe("S3 specifics", () => {
  it("keeps objects under the configured prefix, so two prefixes in one bucket do not see each other", async () => {
    const a = s3Store("site-a");
    const b = s3Store("site-b");
    await a.put(key5(), Buffer.from("a"), "application/octet-stream");
    expect(await b.exists(key5())).toBe(false);
    expect((await s3Store("").get(`site-a/${key5()}`)).toString()).toBe("a");
  });
  const key5 = () => `pixels/${"5".repeat(64)}.bin`;

  it("fails loudly (not as not-found) when the access key is unknown to the server", async () => {
    const right = s3Store("x");
    await right.put(key5(), Buffer.from("x"), "application/octet-stream");
    const wrong = new S3BlobStore({ ...right.location, credentials: { accessKeyId: "NOT-A-KEY", secretAccessKey: "S3RVER" } });
    opened.push(wrong);
    const error = await wrong.get(key5()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(StoredObjectNotFound);
    expect((error as { name: string }).name).toBe("InvalidAccessKeyId");
  });
});
