import "server-only";
import { inArray } from "drizzle-orm";
import { db } from "@/lib/db/client";
import { analyses } from "@/lib/db/schema";

/** The analyses an accepted upload request made (its outcome's ids), as they are now: after a wait, the answer. */
export async function uploadStates(ids: string[]) {
  return db
    .select({ id: analyses.id, fileName: analyses.fileName, status: analyses.status, error: analyses.error, errorCode: analyses.errorCode })
    .from(analyses)
    .where(inArray(analyses.id, ids));
}
