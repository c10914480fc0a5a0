// Which study an analysed image belongs to: the one with its Study Instance UID (made on first sight)
// when it is the same patient's, or a new study of its own for a picture or a DICOM without the UID.
import "server-only";
import crypto from "node:crypto";
import { sql, type SQL } from "drizzle-orm";
import type { db } from "@/lib/db/client";
import { studies } from "@/lib/db/schema";

type Executor = Pick<typeof db, "insert">;

export interface StudyKey {
  studyInstanceUid: string | null;
  studyDate: string | null;
  patientLink: string | null;
}

export interface StudyAssignment {
  /** The statement that makes sure the study exists: run it in the caller's transaction, before the row that points at it. */
  statement: PromiseLike<unknown>;
  /** The study's id as a value for that row: known already, or looked up by the UID in the same statement. */
  studyId: string | SQL;
}

/**
 * The study for `key`, inside the caller's transaction. A study keeps its patient link for good and the
 * first date it got.
 * Nothing has to come back before the analysis row is written (its id is made here, or the row finds
 * it by UID), so an upload's statements can go to the database together.
 */
export function assignStudy(tx: Executor, key: StudyKey): StudyAssignment {
  if (!key.studyInstanceUid) {
    const id = crypto.randomUUID();
    return { statement: tx.insert(studies).values({ id, studyDate: key.studyDate, patientLink: key.patientLink }), studyId: id };
  }
  // An upsert, safe against a concurrent upload of another image of the same study: it waits for that
  // one's row, which the lookup (a later statement, so a later snapshot) then sees.
  const statement = tx
    .insert(studies)
    .values({ studyInstanceUid: key.studyInstanceUid, studyDate: key.studyDate, patientLink: key.patientLink })
    .onConflictDoUpdate({
      target: studies.studyInstanceUid,
      set: { studyDate: sql`coalesce(${studies.studyDate}, excluded.study_date)` },
    });
  // Only a study of the same patient (lib/studies/patient-guard.ts): when another patient's study holds
  // the UID, the lookup finds none and the analysis row, whose study is required, is never written.
  const studyId = sql`(select ${studies.id} from ${studies} where ${studies.studyInstanceUid} = ${key.studyInstanceUid} and ${studies.patientLink} is not distinct from ${key.patientLink})`;
  return { statement, studyId };
}
