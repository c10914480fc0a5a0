// Studies: the images of one visit, grouped by DICOM Study Instance UID (a PNG or JPEG is a study of one
// image). Patients are linked without identifiers: `patient_link` is a keyed HMAC of Issuer of Patient
// ID + Patient ID (lib/studies/patient-link.ts), so equal values mean "same patient" and nothing in the
// database leads back to the ID. Deleting the server's key makes every stored link meaningless.
import { index, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

export const studies = pgTable(
  "studies",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** Null for a single picture (PNG/JPEG) or a DICOM without the UID: then the study has one image. */
    studyInstanceUid: text("study_instance_uid").unique(),
    patientLink: text("patient_link"),
    /** YYYY-MM-DD from the DICOM Study Date, when valid. */
    studyDate: text("study_date"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("studies_patient_link_idx").on(t.patientLink, t.studyDate)],
);

export type Study = typeof studies.$inferSelect;
