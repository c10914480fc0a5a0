// One patient per study. Studies are matched by Study Instance UID, which any sender can copy: an image
// whose patient link differs from the study's would file one patient's film under another's study, make
// that patient's earlier studies its priors, and send its SR out in that study. Such an image is refused,
// never merged. A missing link differs from a present one: "unknown patient" is not the same patient.
import "server-only";
import { inArray } from "drizzle-orm";
import { AppError } from "@/lib/core/errors";
import { db } from "@/lib/db/client";
import { studies } from "@/lib/db/schema";
import type { StudyKey } from "./assign";

export function studyPatientMismatch(): AppError {
  // No UID or link in the words: neither tells the sender anything it lacks, and a log may keep them.
  return new AppError(
    "conflict",
    "This image names a study that belongs to another patient (same Study Instance UID, different patient). It was not filed; check the image's patient and study.",
    { subcode: "study_patient_mismatch" },
  );
}

/**
 * Indexes of `keys` whose study already holds another patient, or another patient than an earlier key
 * of the same request. A study made by a concurrent upload between this read and the insert is caught
 * by the insert itself (lib/studies/assign.ts finds no study of this patient, and nothing is written).
 */
export async function patientMismatches(keys: readonly StudyKey[]): Promise<Set<number>> {
  const uids = [...new Set(keys.map((k) => k.studyInstanceUid).filter((u): u is string => !!u))];
  const mismatched = new Set<number>();
  if (uids.length === 0) return mismatched;
  const rows = await db
    .select({ uid: studies.studyInstanceUid, patientLink: studies.patientLink })
    .from(studies)
    .where(inArray(studies.studyInstanceUid, uids));
  const owner = new Map<string, string | null>(rows.map((r) => [r.uid!, r.patientLink]));
  keys.forEach((key, i) => {
    if (!key.studyInstanceUid) return;
    if (!owner.has(key.studyInstanceUid)) owner.set(key.studyInstanceUid, key.patientLink);
    else if (owner.get(key.studyInstanceUid) !== key.patientLink) mismatched.add(i);
  });
  return mismatched;
}

/** True when `error` is the insert of an analysis that found no study of its own patient. */
export function isStudyPatientRace(error: unknown): boolean {
  for (let e = error as { code?: unknown; column_name?: unknown; column?: unknown; cause?: unknown } | undefined, i = 0; e && i < 5; e = e.cause as typeof e, i++) {
    if (e.code === "23502" && (e.column_name ?? e.column) === "study_id") return true;
  }
  return false;
}
