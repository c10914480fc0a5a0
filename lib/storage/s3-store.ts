import "server-only";
import { StoredObjectNotFound, type BlobStore } from "./blob-store";

// The SDK is loaded with the first S3 store: it is about 5 MB of live heap in every process (and image
// thread) that imports the content store, most of which keep their files on local disk.
type Sdk = typeof import("@aws-sdk/client-s3");

export interface S3Location {
  bucket: string;
  /** Key prefix without slashes at either end; "" for the bucket's root. */
  prefix: string;
  endpoint?: string;
  region: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
  forcePathStyle: boolean;
}

/** `s3://bucket/some/prefix` -> bucket and prefix. */
export function parseStorageUrl(url: string): { bucket: string; prefix: string } {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(url);
  if (!match) throw new Error(`STORAGE_URL must look like s3://bucket/prefix, not ${url}`);
  return { bucket: match[1], prefix: match[2].replace(/^\/+|\/+$/g, "") };
}

function isNotFound(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === "NoSuchKey" || e?.name === "NotFound" || e?.$metadata?.httpStatusCode === 404;
}

// Objects in one bucket under a prefix, the same keys as on disk. Every instance of the app that is
// given the same bucket sees the same files, which is what lets web and worker processes run apart.
export class S3BlobStore implements BlobStore {
  readonly kind = "s3" as const;
  /** The SDK's module and this store's client, made once the SDK has loaded. */
  private readonly ready: Promise<{ sdk: Sdk; client: InstanceType<Sdk["S3Client"]> }>;

  constructor(readonly location: S3Location) {
    this.ready = import("@aws-sdk/client-s3").then((sdk) => ({ sdk, client: new sdk.S3Client({
      region: location.region,
      endpoint: location.endpoint,
      forcePathStyle: location.forcePathStyle,
      credentials: location.credentials,
      // Checksums only where S3 requires them: self-hosted S3 servers differ in which of the newer
      // checksum headers they accept, and content addressing already names every object by its hash.
      requestChecksumCalculation: "WHEN_REQUIRED",
      responseChecksumValidation: "WHEN_REQUIRED",
      // An unreachable endpoint fails within seconds (the SDK retries twice) instead of holding requests.
      requestHandler: { connectionTimeout: 3_000, requestTimeout: 60_000 },
    }) }));
    this.ready.catch(() => undefined); // a failure is met by the first request that needs the client
  }

  private objectKey(key: string): string {
    return this.location.prefix ? `${this.location.prefix}/${key}` : key;
  }

  // A single PUT is atomic in S3: readers see the whole object or none.
  async put(key: string, bytes: Uint8Array, contentType: string): Promise<void> {
    const { sdk, client } = await this.ready;
    await client.send(
      new sdk.PutObjectCommand({ Bucket: this.location.bucket, Key: this.objectKey(key), Body: bytes, ContentType: contentType }),
    );
  }

  async get(key: string): Promise<Buffer> {
    try {
      const { sdk, client } = await this.ready;
      const out = await client.send(new sdk.GetObjectCommand({ Bucket: this.location.bucket, Key: this.objectKey(key) }));
      if (!out.Body) throw new StoredObjectNotFound(key);
      return Buffer.from(await out.Body.transformToByteArray());
    } catch (error) {
      if (isNotFound(error)) throw new StoredObjectNotFound(key);
      throw error;
    }
  }

  async exists(key: string): Promise<boolean> {
    try {
      const { sdk, client } = await this.ready;
      await client.send(new sdk.HeadObjectCommand({ Bucket: this.location.bucket, Key: this.objectKey(key) }));
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    const { sdk, client } = await this.ready;
    await client.send(new sdk.DeleteObjectCommand({ Bucket: this.location.bucket, Key: this.objectKey(key) }));
  }

  async *list(): AsyncIterable<string> {
    const { sdk, client } = await this.ready;
    const prefix = this.location.prefix ? `${this.location.prefix}/` : "";
    let token: string | undefined;
    do {
      const page = await client.send(new sdk.ListObjectsV2Command({ Bucket: this.location.bucket, Prefix: prefix, ContinuationToken: token }));
      for (const o of page.Contents ?? []) if (o.Key) yield o.Key.slice(prefix.length);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  close(): void {
    void this.ready.then(({ client }) => client.destroy());
  }
}
