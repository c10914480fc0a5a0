// Which study an analysed image belongs to: the one with its Study Instance UID (made on first sight),
// or a new study of its own for a picture or a DICOM without the UID.
import "server-only";
import { sql } from "drizzle-orm";
import type { db } from "@/lib/db/client";
import { studies } from "@/lib/db/schema";

type Executor = Pick<typeof db, "insert">;

export interface StudyKey {
  studyInstanceUid: string | null;
  studyDate: string | null;
  patientLink: string | null;
}

/** The study id for `key`, inside the caller's transaction. A study keeps the first link and date it got. */
export async function assignStudy(tx: Executor, key: StudyKey): Promise<string> {
  if (!key.studyInstanceUid) {
    const [row] = await tx.insert(studies).values({ studyDate: key.studyDate, patientLink: key.patientLink }).returning({ id: studies.id });
    return row.id;
  }
  // DO UPDATE (not DO NOTHING) so that RETURNING answers for an existing study too, in one statement
  // that is safe against a concurrent upload of another image of the same study.
  const [row] = await tx
    .insert(studies)
    .values({ studyInstanceUid: key.studyInstanceUid, studyDate: key.studyDate, patientLink: key.patientLink })
    .onConflictDoUpdate({
      target: studies.studyInstanceUid,
      set: {
        studyDate: sql`coalesce(${studies.studyDate}, excluded.study_date)`,
        patientLink: sql`coalesce(${studies.patientLink}, excluded.patient_link)`,
      },
    })
    .returning({ id: studies.id });
  return row.id;
}
