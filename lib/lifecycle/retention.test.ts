// Integration: retention on PostgreSQL (a database of its own: the counts are of every row) with its
// files in a real S3-protocol server.
import { afterAll, describe, vi } from "vitest";
import { retentionScenario } from "@/test/support/retention-scenario";

const { dropDb, s3 } = await vi.hoisted(async () => {
  const { startS3Server } = await import("@/test/support/s3-server");
  const s3 = await startS3Server();
  Object.assign(process.env, s3.env("retention"));
  const dropDb = await (await import("@/test/support/isolated-database")).useIsolatedDatabase();
  return { dropDb, s3 };
});

afterAll(async () => {
  await dropDb();
  await s3.close();
});

describe("retention on PostgreSQL with S3 storage", () => {
  retentionScenario();
});
