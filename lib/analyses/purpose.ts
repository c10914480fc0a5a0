import "server-only";
import { eq, type SQL } from "drizzle-orm";
import { analyses } from "@/lib/db/schema";

// The films of a validation set are analysed like any upload but are not a patient's clinical work:
// every list, count, triage, comparison and delivery of clinical work adds this one condition, so a
// validation film is seen only inside its set (lib/validation reads it by id).

export type AnalysisPurpose = (typeof analyses.$inferSelect)["purpose"];

/** The WHERE condition "this analysis is clinical work" on the analyses table. */
export function clinicalWork(): SQL {
  return eq(analyses.purpose, "clinical");
}
