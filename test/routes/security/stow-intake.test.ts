// Security suite: what STOW-RS lets in. Found in the second penetration test: a film of patient P-666
// under patient P-100's Study Instance UID joined P-100's study (and listed P-100's earlier study as its
// prior); one request of a key limited to 3 requests a minute queued 300 instances (limits counted
// requests, and the rate limit was charged twice, once unawaited); a re-used SOP Instance UID with other
// pixels was answered "Already received" and never analysed. Real route, decoders and PostgreSQL.
import { afterAll, vi } from "vitest";

const dropDb = await vi.hoisted(async () => {
  process.env.MODEL_DIR = `${process.env.DATA_DIR}/model-stow-intake`;
  process.env.STORAGE_DIR = `${process.env.DATA_DIR}/storage-stow-intake`;
  process.env.API_MAX_FILES = "10";
  process.env.RATE_LIMIT_PER_KEY = "0";
  process.env.RATE_LIMIT_PER_IP = "0";
  process.env.QUEUE_MAX = "14";
  return (await import("@/test/support/isolated-database")).useIsolatedDatabase();
});
afterAll(() => dropDb());

import { and, count, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import * as route from "@/app/api/dicomweb/studies/route";
import { acceptUpload } from "@/lib/uploads/accept-upload";
import { db } from "@/lib/db/client";
import { analyses, apiKeys, dicomInstances, rateBuckets, studies } from "@/lib/db/schema";
import { encodeMultipartRelated } from "@/lib/dicomweb/multipart-related";
import { FailureReason } from "@/lib/dicomweb/store-response";
import { testInstance } from "@/test/support/dicomweb/instances";
import { derivedUid } from "@/lib/pacs/uids";
import { appErrorOf } from "@/test/support/app-error";
import { call, createTestKey, createTestUser, type TestUser } from "@/test/support/principals";

let owner: TestUser;
let key: string;

beforeAll(async () => {
  owner = await createTestUser("radiologist");
  key = (await createTestKey(owner.user)).key;
});

function stow(parts: Buffer[], bearer = key) {
  const { body, contentType } = encodeMultipartRelated(parts, "application/dicom");
  return call(route.POST, "/api/dicomweb/studies", {
    method: "POST",
    headers: { authorization: `Bearer ${bearer}`, "content-type": contentType },
    body: new Uint8Array(body),
  });
}

type Item = Record<string, { Value?: unknown[] }>;
const failedOf = async (res: Response) => ((await res.json())["00081198"]?.Value ?? []) as Item[];
const analysisCount = async () => (await db.select({ n: count() }).from(analyses))[0].n;
const queuedCount = async () => (await db.select({ n: count() }).from(analyses).where(eq(analyses.status, "queued")))[0].n;
const batch = (from: number, n: number, patientId = "P-BATCH") =>
  Array.from({ length: n }, (_, i) => testInstance("dx", from + i, derivedUid("intake-batch", String(from + i)), { patientId }).bytes);

describe("security: STOW-RS intake", () => {
  it("refuses another patient's instance under a study's UID, over STOW-RS and upload, and leaves the study as it was", async () => {
    const studyUid = derivedUid("intake-study", "P-100");
    const first = await stow([testInstance("dx", 9001, studyUid, { patientId: "P-100" }).bytes]);
    expect(first.status).toBe(200);
    const [study] = await db.select().from(studies).where(eq(studies.studyInstanceUid, studyUid));
    const before = await analysisCount();

    const intruder = testInstance("dx", 9002, studyUid, { patientId: "P-666" });
    const res = await stow([intruder.bytes]);
    expect(res.status).toBe(409);
    const [failed] = await failedOf(res);
    expect(failed["00081155"].Value?.[0]).toBe(intruder.sopInstanceUid);
    expect(failed["00081197"].Value?.[0]).toBe(FailureReason.cannotUnderstand);
    expect(String(failed["0040A160"].Value?.[0])).toMatch(/belongs to another patient/);

    // The plain upload route's way in: 409 with a sentence, nothing filed.
    const upload = await appErrorOf(acceptUpload({ actor: owner.principal, files: [{ fileName: "x.dcm", bytes: testInstance("dx", 9003, studyUid, { patientId: "P-666" }).bytes }] }));
    expect(upload.status).toBe(409);
    expect(upload.extra.subcode).toBe("study_patient_mismatch");

    expect(await analysisCount()).toBe(before);
    expect(await db.select().from(studies).where(eq(studies.studyInstanceUid, studyUid))).toEqual([study]);
    expect(await db.select({ id: analyses.id }).from(analyses).where(eq(analyses.studyId, study.id))).toHaveLength(1);
    // Not claimed either: the SOP Instance UID stays free for the real instance.
    expect(await db.select().from(dicomInstances).where(eq(dicomInstances.sopInstanceUid, intruder.sopInstanceUid))).toEqual([]);
  });

  it("answers a re-used SOP Instance UID with other content as a conflict; the same content stays idempotent", async () => {
    const original = testInstance("dx", 9100);
    expect((await stow([original.bytes])).status).toBe(200);
    const before = await analysisCount();

    const same = await stow([original.bytes]);
    expect(same.status).toBe(200);
    expect(JSON.stringify(await same.json())).toContain("Already received: analysis");

    const impostor = testInstance("dx", 9100, original.studyInstanceUid, { pixelSeed: 4242 });
    expect(impostor.sopInstanceUid).toBe(original.sopInstanceUid);
    const res = await stow([impostor.bytes]);
    expect(res.status).toBe(409);
    const [failed] = await failedOf(res);
    expect(failed["00081197"].Value?.[0]).toBe(FailureReason.duplicateSopInstance);
    expect(String(failed["0040A160"].Value?.[0])).toMatch(/already received with different content/);
    expect(await analysisCount()).toBe(before);
  });

  it("counts instances: at most API_MAX_FILES a request, each one against the key's rate limit, charged once", async () => {
    const limited = await createTestKey(owner.user);
    await db.update(apiKeys).set({ rateLimitPerMinute: 4 }).where(eq(apiKeys.id, limited.id));
    const before = await analysisCount();

    const thirty = await stow(batch(100, 30), limited.key);
    expect(thirty.status).toBe(413);
    expect((await thirty.json()).detail).toMatch(/at most 10 instances; this one holds 30/);
    expect(await analysisCount()).toBe(before);

    // More instances than the key may send in a whole minute can never fit: refused at once, nothing stored.
    const five = await stow(batch(200, 5), limited.key);
    expect(five.status).toBe(429);
    expect((await five.json()).code).toBe("request_over_limit");
    expect(await analysisCount()).toBe(before);

    // 3 + 1 instances in two requests are the key's 4: its bucket is exactly 4 intervals (15 s each) ahead
    // of when they were sent (one charge per request, of its instances; counted per request, it would be 2).
    const sentFrom = Date.now();
    expect((await stow(batch(210, 3), limited.key)).status).toBe(200);
    expect((await stow(batch(220, 1), limited.key)).status).toBe(200);
    const sentUntil = Date.now();
    expect(await analysisCount()).toBe(before + 4);
    const [bucket] = await db.select().from(rateBuckets).where(and(eq(rateBuckets.scope, "key"), eq(rateBuckets.key, limited.id)));
    expect(bucket.tat).toBeGreaterThanOrEqual(sentFrom + 4 * 15_000);
    expect(bucket.tat).toBeLessThanOrEqual(sentUntil + 4 * 15_000);
  });

  it("counts instances against QUEUE_MAX: a request that would overfill the queue is refused whole", async () => {
    const room = 14 - (await queuedCount());
    expect(room).toBeGreaterThan(1);
    expect(room).toBeLessThan(10);
    const before = await analysisCount();
    const full = await stow(batch(300, room + 1));
    expect(full.status).toBe(503);
    expect(full.headers.get("retry-after")).toBeTruthy();
    expect(await analysisCount()).toBe(before);
    expect((await stow(batch(400, room))).status).toBe(200);
    expect(await queuedCount()).toBe(14);
  });
});
