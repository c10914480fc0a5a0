// The erasure story, run per backend: a patient's DICOM film goes through the real upload, worker,
// sign-off and share; after erasing the patient by Patient ID, nothing of theirs is left in the
// database dump or the stored files (by content hash, UIDs, name, ID, accession number), the audit holds
// a tombstone without identifiers, and the patient's link answers 410.
import { eq } from "drizzle-orm";
import { expect, it } from "vitest";
import { acceptUpload } from "@/lib/uploads/accept-upload";
import { waitForFinished } from "@/lib/analyses/completion";
import { db } from "@/lib/db/client";
import { analyses, auditEvents, findings } from "@/lib/db/schema";
import { testInstance, TEST_PATIENT } from "@/test/support/dicomweb/instances";
import { erase } from "@/lib/lifecycle/erase";
import { startAnalysisWorker } from "@/lib/jobs/analysis-worker";
import { signOffReview } from "@/lib/reviews/service";
import { resolveShareToken } from "@/lib/shares/resolve";
import { createShare } from "@/lib/shares/service";
import { sha256Hex } from "@/lib/storage/content-store";
import { appErrorOf } from "@/test/support/app-error";
import { seedUser } from "@/test/support/triage/seed";

export interface ErasureBackend {
  /** Everything the database holds, as text (pg_dump, or every row of every table). */
  databaseText(): Promise<string>;
  /** Every stored file's bytes, as the storage backend keeps them. */
  storedBytes(): Promise<Buffer[]>;
}

export function erasureScenario(backend: ErasureBackend): void {
  it("erases a patient: no row, file, hash or UID of theirs is left; a tombstone and a 410 link remain", async () => {
    const reader = await seedUser("radiologist");
    const admin = await seedUser("admin");
    const films = [testInstance("dx", 9101), testInstance("dx", 9102)];
    const { ids } = await acceptUpload({ actor: reader, files: films.map((f, i) => ({ fileName: `erase-${i}.dcm`, bytes: f.bytes })) });
    await startAnalysisWorker("web");
    expect(await waitForFinished(ids, 120_000)).toBe(true);
    const calls = await db.select({ label: findings.label }).from(findings).where(eq(findings.analysisId, ids[0]));
    const decisions = Object.fromEntries(calls.map((c) => [c.label, "agree" as const]));
    await signOffReview({ actor: reader, analysisId: ids[0], input: { decisions, addedFindings: [], impression: "Erasure test." } });
    const share = await createShare({ actor: reader, analysisId: ids[0], input: {}, baseUrl: "https://cxr.example.test" });

    const traces = [
      ...films.flatMap((f) => [sha256Hex(f.bytes), f.sopInstanceUid]),
      films[0].studyInstanceUid,
      films[1].studyInstanceUid,
      TEST_PATIENT.id,
      TEST_PATIENT.name,
      "ACC9101",
      "ACC9102",
    ];
    const present = (text: string) => traces.filter((t) => text.includes(t));
    // The checks can fail: before the erasure the database and the files hold the patient's traces.
    expect(present(await backend.databaseText())).toEqual(expect.arrayContaining([sha256Hex(films[0].bytes), films[0].studyInstanceUid, "ACC9101"]));
    expect(present(Buffer.concat(await backend.storedBytes()).toString("latin1"))).toEqual(expect.arrayContaining([TEST_PATIENT.id, films[0].sopInstanceUid]));

    const removal = await erase(admin, { kind: "patient", patientId: TEST_PATIENT.id });
    expect(removal).toMatchObject({ analyses: 2, studies: 2, shares: 1 });
    expect(await db.select().from(analyses).where(eq(analyses.id, ids[1]))).toHaveLength(0);
    expect(present(await backend.databaseText())).toEqual([]);
    expect(present(Buffer.concat(await backend.storedBytes()).toString("latin1"))).toEqual([]);

    const tombstones = await db.select().from(auditEvents).where(eq(auditEvents.action, "data.erase"));
    expect(tombstones).toHaveLength(1);
    expect(tombstones[0]).toMatchObject({ actorUserId: admin.userId, targetType: "patient", targetId: null, details: { analyses: 2, studies: 2, shares: 1 } });
    expect((await appErrorOf(resolveShareToken(new URL(share.url).pathname.split("/").pop()!))).status).toBe(410);
    // Nothing left to erase: a clear 404, not an empty success.
    expect((await appErrorOf(erase(admin, { kind: "patient", patientId: TEST_PATIENT.id }))).status).toBe(404);
  });
}
