// Integration (real PostgreSQL, decoders, demo model): an instance's claim and its analysis are made
// together. Concurrent sends of one instance give one analysis and the same id in every answer; a
// refused instance is refused every time, however many send it at once; an instance whose send died
// with its database connection (terminated mid-transaction, as a restart does) is answered 503 with
// Retry-After, keeps nothing, and when re-sent is analysed once. Secondary Captures of chest films are
// accepted; refusals name the SOP class.
import { afterAll, vi } from "vitest";

const dropDb = await vi.hoisted(async () => {
  process.env.MODEL_DIR = `${process.env.DATA_DIR}/model-stow-claims`;
  process.env.STORAGE_DIR = `${process.env.DATA_DIR}/storage-stow-claims`;
  process.env.RATE_LIMIT_PER_KEY = "0";
  process.env.RATE_LIMIT_PER_IP = "0";
  return (await import("@/test/support/isolated-database")).useIsolatedDatabase();
});

import fs from "node:fs";
import path from "node:path";
import { count, eq } from "drizzle-orm";
import postgres from "postgres";
import { beforeAll, describe, expect, it } from "vitest";
import * as route from "@/app/api/dicomweb/studies/route";
import { runAnalyses } from "@/lib/jobs/run-analyses";
import { db } from "@/lib/db/client";
import { analyses, dicomInstances, findings } from "@/lib/db/schema";
import { env } from "@/lib/env";
import { syntheticPixels, writeDicom } from "@/test/support/imaging/dicom-writer";
import { closeAllModels } from "@/lib/inference";
import { derivedUid } from "@/lib/pacs/uids";
import { stopQueueEngine } from "@/lib/queue/boss";
import { call, createTestKey, createTestUser } from "@/test/support/principals";
import { ensureDemoModel } from "@/test/support/test-model";
import { encodeMultipartRelated } from "@/lib/dicomweb/multipart-related";
import { FailureReason } from "@/lib/dicomweb/store-response";
import { testInstance } from "@/test/support/dicomweb/instances";

let key: string;
/** The test's own connection to the app's database: it takes locks and ends the app's connections. */
const admin = postgres(env.DATABASE_URL!, { max: 1, onnotice: () => {} });

beforeAll(async () => {
  await ensureDemoModel();
  key = (await createTestKey((await createTestUser("radiologist")).user)).key;
});
afterAll(async () => {
  await admin.end({ timeout: 5 });
  await stopQueueEngine(5_000);
  await closeAllModels();
  await dropDb();
});

async function stow(parts: Buffer[]) {
  const { body, contentType } = encodeMultipartRelated(parts, "application/dicom");
  const res = await call(route.POST, "/api/dicomweb/studies", {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": contentType },
    body: new Uint8Array(body),
  });
  return { status: res.status, retryAfter: res.headers.get("retry-after"), body: (await res.json()) as Record<string, { Value?: Item[] }> };
}

type Item = Record<string, { Value?: unknown[] }>;
const notes = (body: Record<string, { Value?: Item[] }>) => (body["00081199"]?.Value ?? []).map((i) => String(i["0040A160"].Value?.[0]));
const failures = (body: Record<string, { Value?: Item[] }>) =>
  (body["00081198"]?.Value ?? []).map((i) => ({ reason: i["00081197"].Value?.[0], message: String(i["0040A160"].Value?.[0]) }));
const idOf = (note: string) => note.match(/[0-9a-f]{8}-[0-9a-f-]{27}/)?.[0];
const claimOf = async (uid: string) => (await db.select().from(dicomInstances).where(eq(dicomInstances.sopInstanceUid, uid)))[0];
const analysisCount = async () => (await db.select({ n: count() }).from(analyses))[0].n;

/** A DX instance whose header the upload check refuses (Bits Stored above Bits Allocated). */
function refusedInstance(seed: number): { bytes: Buffer; uid: string } {
  const uid = derivedUid("test-refused", String(seed));
  const bytes = writeDicom({
    rows: 64,
    columns: 64,
    bitsAllocated: 16,
    bitsStored: 17,
    highBit: 16,
    pixels: Uint16Array.from(syntheticPixels(64, 64, 4095)),
    extra: [
      { tag: 0x00080016, vr: "UI", value: "1.2.840.10008.5.1.4.1.1.1.1" },
      { tag: 0x00080018, vr: "UI", value: uid },
    ],
  });
  return { bytes, uid };
}

describe("STOW-RS claims and analyses are made together", () => {
  it("eight concurrent sends of one instance: one analysis, and every answer names it", async () => {
    const dx = testInstance("dx", 41);
    const before = await analysisCount();
    const answers = await Promise.all(Array.from({ length: 8 }, () => stow([dx.bytes])));
    expect(answers.map((a) => a.status)).toEqual(Array(8).fill(200));
    const all = answers.flatMap((a) => notes(a.body));
    const claim = await claimOf(dx.sopInstanceUid);
    expect(claim.analysisId).toBeTruthy();
    expect(new Set(all.map(idOf))).toEqual(new Set([claim.analysisId]));
    expect(all.filter((n) => n.startsWith("Analysis "))).toHaveLength(1);
    expect(all.filter((n) => n.startsWith("Already received: analysis "))).toHaveLength(7);
    expect(await analysisCount()).toBe(before + 1);
  });

  it("eight concurrent sends of one refused instance are all refused, and nothing is kept", async () => {
    const bad = refusedInstance(1);
    const before = await analysisCount();
    const answers = await Promise.all(Array.from({ length: 8 }, () => stow([bad.bytes])));
    expect(answers.map((a) => a.status)).toEqual(Array(8).fill(409));
    for (const a of answers) {
      expect(notes(a.body)).toEqual([]);
      expect(failures(a.body)).toHaveLength(1);
      expect(failures(a.body)[0].reason).toBe(FailureReason.cannotUnderstand);
    }
    expect(await claimOf(bad.uid)).toBeUndefined();
    expect(await analysisCount()).toBe(before);
  });

  it("a send whose database connection is ended mid-transaction is answered 503 with Retry-After, keeps nothing, and the resend is analysed once", async () => {
    const dx = testInstance("dx", 42);
    const before = await analysisCount();
    // Inserts into the claims wait behind this lock: the send's transaction has written its analysis
    // and job and waits on its claim when its connection is ended, as a database restart ends it.
    const locked = admin.begin(async (tx) => {
      await tx`lock table dicom_instances in share mode`;
      const sending = stow([dx.bytes]);
      let ended = 0;
      for (let i = 0; i < 300 && ended === 0; i++) {
        const rows = await tx`
          select pg_terminate_backend(pid) as ended from pg_stat_activity
          where datname = current_database() and pid <> pg_backend_pid() and wait_event_type = 'Lock' and query ilike '%dicom_instances%'`;
        ended = rows.length;
        if (ended === 0) await new Promise((r) => setTimeout(r, 100));
      }
      expect(ended, "the send waited on its claim").toBe(1);
      return sending;
    });
    const first = await locked;
    expect(first.status).toBe(503);
    expect(first.retryAfter).toMatch(/^\d+$/);
    expect(failures(first.body)).toMatchObject([{ reason: FailureReason.outOfResources }]);
    // Nothing of it was kept: no claim, no analysis, so a resend cannot be told "already received".
    expect(await claimOf(dx.sopInstanceUid)).toBeUndefined();
    expect(await analysisCount()).toBe(before);

    const resent = await stow([dx.bytes]);
    expect(resent.status).toBe(200);
    const id = idOf(notes(resent.body)[0])!;
    expect(notes(resent.body)).toEqual([`Analysis ${id}.`]);
    const again = await stow([dx.bytes]);
    expect(notes(again.body)).toEqual([`Already received: analysis ${id}.`]);
    expect(await analysisCount()).toBe(before + 1);
    expect((await claimOf(dx.sopInstanceUid)).analysisId).toBe(id);

    // And it is analysed, once.
    expect((await runAnalyses([id], "test-stow")).get(id)).toEqual({ kind: "done" });
    const [row] = await db.select().from(analyses).where(eq(analyses.id, id));
    expect(row.status).toBe("completed");
    expect((await db.select({ n: count() }).from(findings).where(eq(findings.analysisId, id)))[0].n).toBe(18);
  });

  it("a storage outage is answered 503 (0xA700) with Retry-After, and the resend after it is analysed", async () => {
    const dx = testInstance("dx", 44);
    // The originals' directory replaced by a plain file: writes fail as on an unmounted volume (the
    // tests run as root, for whom a read-only mode changes nothing).
    const dir = path.join(env.STORAGE_DIR!, "original");
    fs.mkdirSync(dir, { recursive: true });
    fs.renameSync(dir, `${dir}.away`);
    fs.writeFileSync(dir, "not a directory");
    let refused;
    try {
      refused = await stow([dx.bytes]);
    } finally {
      fs.rmSync(dir, { force: true });
      fs.renameSync(`${dir}.away`, dir);
    }
    expect(refused.status).toBe(503);
    expect(refused.retryAfter).toMatch(/^\d+$/);
    expect(failures(refused.body)).toMatchObject([{ reason: FailureReason.outOfResources, message: expect.stringMatching(/storage/i) }]);
    expect(await claimOf(dx.sopInstanceUid)).toBeUndefined();
    const resent = await stow([dx.bytes]);
    expect(notes(resent.body)[0]).toMatch(/^Analysis /);
  });

  it("a Secondary Capture of a chest film is analysed; refusals name the SOP class, not 'a CR object'", async () => {
    const sc = testInstance("sc", 43);
    const accepted = await stow([sc.bytes]);
    expect(accepted.status).toBe(200);
    expect(notes(accepted.body)[0]).toMatch(/^Analysis /);
    const ct = await stow([testInstance("ct", 43).bytes]);
    expect(failures(ct.body)[0].message).toMatch(/^This instance is a CT Image \(SOP Class 1\.2\.840\.10008\.5\.1\.4\.1\.1\.2\), modality CT;/);
    const photo = await stow([testInstance("photo", 43).bytes]);
    expect(failures(photo.body)[0].message).toMatch(/VL Photographic Image/);
    expect(failures(photo.body)[0].message).not.toMatch(/CR object/);
  });
});
