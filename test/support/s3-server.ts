// A real S3-protocol server (s3rver, an npm devDependency) for tests: started on a free loopback port
// with one bucket, files in a temporary directory, stopped by the test. It speaks the S3 REST protocol
// (path-style) and knows one access key; it does not verify V4 signatures themselves.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import S3rver from "s3rver";

export interface TestS3Server {
  endpoint: string;
  bucket: string;
  /** Where the server keeps the bucket's objects on disk (for tests that scan every stored byte). */
  directory: string;
  /** The app's settings that point storage at this server (prefix: a key prefix inside the bucket). */
  env(prefix?: string): Record<string, string>;
  close(): Promise<void>;
}

// s3rver's built-in account.
const ACCESS_KEY = "S3RVER";

export async function startS3Server(bucket = "cxr-test"): Promise<TestS3Server> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), "cxr-s3rver-"));
  const server = new S3rver({ address: "127.0.0.1", port: 0, silent: true, directory, configureBuckets: [{ name: bucket }] });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    bucket,
    directory,
    env: (prefix = "") => ({
      STORAGE_URL: `s3://${bucket}${prefix ? `/${prefix}` : ""}`,
      S3_ENDPOINT: endpoint,
      S3_REGION: "us-east-1",
      S3_ACCESS_KEY_ID: ACCESS_KEY,
      S3_SECRET_ACCESS_KEY: ACCESS_KEY,
      S3_FORCE_PATH_STYLE: "true",
    }),
    close: async () => {
      await server.close();
      fs.rmSync(directory, { recursive: true, force: true });
    },
  };
}
