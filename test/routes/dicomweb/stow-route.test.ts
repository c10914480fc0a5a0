// Integration: STOW-RS into POST /api/dicomweb/studies with the real decoders, the real (untrained
// demo) model and PostgreSQL: per-instance answers (PS3.18 store response), refusals of what is not a
// chest radiograph, re-sent instances analysed once, and no patient name or ID in the database.
import { afterAll, vi } from "vitest";

const dropDb = await vi.hoisted(async () => {
  process.env.MODEL_DIR = `${process.env.DATA_DIR}/model-dicomweb`;
  process.env.STORAGE_DIR = `${process.env.DATA_DIR}/storage-dicomweb`;
  process.env.RATE_LIMIT_PER_KEY = "0";
  process.env.RATE_LIMIT_PER_IP = "0";
  return (await import("@/test/support/isolated-database")).useIsolatedDatabase();
});
afterAll(() => dropDb());

import { count, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import * as route from "@/app/api/dicomweb/studies/route";
import { db } from "@/lib/db/client";
import { analyses, dicomInstances } from "@/lib/db/schema";
import { closeAllModels } from "@/lib/inference";
import { call, createTestKey, createTestUser } from "@/test/support/principals";
import { ensureDemoModel } from "@/test/support/test-model";
import { encodeMultipartRelated } from "@/lib/dicomweb/multipart-related";
import { FailureReason } from "@/lib/dicomweb/store-response";
import { TEST_PATIENT, testInstance } from "../../support/dicomweb/instances";

let key: string;
let readOnlyKey: string;

beforeAll(async () => {
  await ensureDemoModel();
  const radiologist = await createTestUser("radiologist");
  key = (await createTestKey(radiologist.user)).key;
  readOnlyKey = (await createTestKey(radiologist.user, ["analyses:read"])).key;
});
afterAll(() => closeAllModels());

function stow(parts: Buffer[], opts: { key?: string; type?: string } = {}) {
  const { body, contentType } = encodeMultipartRelated(parts, "application/dicom");
  return call(route.POST, "/api/dicomweb/studies", {
    method: "POST",
    headers: { authorization: `Bearer ${opts.key ?? key}`, "content-type": opts.type ?? contentType },
    body: new Uint8Array(body),
  });
}

type Item = Record<string, { Value?: unknown[] }>;
const seq = (body: Record<string, { Value?: unknown[] }>, tag: string) => (body[tag]?.Value ?? []) as Item[];
const uidOf = (item: Item) => item["00081155"]?.Value?.[0];
const analysisCount = async () => (await db.select({ n: count() }).from(analyses))[0].n;

describe("POST /api/dicomweb/studies", () => {
  it("answers per instance: the chest radiograph is analysed, a CT, an SR, a photo and a non-DICOM part are refused with reasons", async () => {
    const dx = testInstance("dx", 1);
    const refused = [testInstance("ct", 1), testInstance("sr", 1), testInstance("photo", 1)];
    const before = await analysisCount();
    const res = await stow([dx.bytes, ...refused.map((r) => r.bytes), Buffer.from("not dicom at all")]);
    expect(res.status).toBe(202);
    expect(res.headers.get("content-type")).toBe("application/dicom+json");
    const body = await res.json();
    const stored = seq(body, "00081199");
    expect(stored.map(uidOf)).toEqual([dx.sopInstanceUid]);
    expect(stored[0]["0040A160"].Value?.[0]).toMatch(/^Analysis [0-9a-f-]{36}\.$/);
    const failed = seq(body, "00081198");
    expect(failed.map(uidOf)).toEqual([...refused.map((r) => r.sopInstanceUid), undefined]);
    expect(failed.slice(0, 3).map((f) => f["00081197"].Value?.[0])).toEqual([
      FailureReason.sopClassNotSupported,
      FailureReason.sopClassNotSupported,
      FailureReason.sopClassNotSupported,
    ]);
    expect(failed[0]["0040A160"].Value?.[0]).toMatch(/CT Image \(SOP Class 1\.2\.840\.10008\.5\.1\.4\.1\.1\.2\), modality CT; only chest radiographs/);
    expect(failed[3]["00081197"].Value?.[0]).toBe(FailureReason.cannotUnderstand);
    // Nothing half-stored: exactly one analysis, one claimed instance.
    expect(await analysisCount()).toBe(before + 1);
    const claims = await db.select().from(dicomInstances);
    expect(claims.map((c) => c.sopInstanceUid)).toContain(dx.sopInstanceUid);
    expect(claims.map((c) => c.sopInstanceUid)).not.toContain(refused[0].sopInstanceUid);
  });

  it("does not analyse a re-sent instance again, and answers 200 with the analysis it became", async () => {
    const dx = testInstance("dx", 2);
    const first = await (await stow([dx.bytes])).json();
    const before = await analysisCount();
    const again = await stow([dx.bytes, dx.bytes]);
    expect(again.status).toBe(200);
    const stored = seq(await again.json(), "00081199");
    expect(stored.map(uidOf)).toEqual([dx.sopInstanceUid, dx.sopInstanceUid]);
    const id = String(seq(first, "00081199")[0]["0040A160"].Value?.[0]).match(/[0-9a-f-]{36}/)![0];
    expect(stored[0]["0040A160"].Value?.[0]).toBe(`Already received: analysis ${id}.`);
    expect(await analysisCount()).toBe(before);
  });

  it("answers 409 when no instance could be stored, and stores nothing", async () => {
    const before = await analysisCount();
    const res = await stow([testInstance("ct", 3).bytes]);
    expect(res.status).toBe(409);
    expect(seq(await res.json(), "00081198")).toHaveLength(1);
    expect(await analysisCount()).toBe(before);
  });

  it("refuses a body that is not a STOW-RS request whole, and callers without the right key", async () => {
    const dx = testInstance("dx", 4);
    expect((await stow([dx.bytes], { type: "multipart/form-data; boundary=x" })).status).toBe(415);
    expect((await stow([dx.bytes], { type: 'multipart/related; type="application/dicom"; boundary=nope' })).status).toBe(400);
    expect((await stow([dx.bytes], { key: readOnlyKey })).status).toBe(403);
    expect((await stow([dx.bytes], { key: "cxr_wrong" })).status).toBe(401);
  });

  it("keeps no patient name or patient ID anywhere in the database", async () => {
    const tables = await db.execute(sql`select table_name from information_schema.tables where table_schema = 'public'`);
    const names = (tables as unknown as { table_name: string }[]).map((r) => r.table_name);
    expect(names).toContain("analyses");
    for (const table of names) {
      const rows = await db.execute(sql.raw(`select row_to_json(t)::text as j from "${table}" t`));
      const dump = (rows as unknown as { j: string }[]).map((r) => r.j).join("\n");
      expect(dump, table).not.toContain(TEST_PATIENT.id);
      expect(dump, table).not.toContain("NEVERSTORED");
    }
  });
});
