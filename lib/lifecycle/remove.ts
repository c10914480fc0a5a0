// Removing analyses for good (retention past its last rule, or erasure on request): the rows and what
// hangs on them, the stored files no other analysis still uses, and the studies left empty. Share links
// of removed reports are remembered by hash only, so they answer "gone" (410) rather than "unknown".
import "server-only";
import { and, eq, inArray, sql } from "drizzle-orm";
import { db } from "@/lib/db/client";
import { analyses, erasedShares, images, resultDeliveries, shares, studies } from "@/lib/db/schema";
import { resultUids } from "@/lib/pacs/uids";
import { deleteStored, STORED_KINDS, type StoredKind } from "@/lib/storage/content-store";

/** Results already sent to a PACS for removed analyses: someone has to remove them there too. */
export interface SentToPacs {
  studyInstanceUid: string | null;
  seriesInstanceUids: string[];
}

export interface Removal {
  analyses: number;
  files: number;
  studies: number;
  shares: number;
  sentToPacs: SentToPacs[];
}

export async function removeAnalyses(ids: string[]): Promise<Removal> {
  if (ids.length === 0) return { analyses: 0, files: 0, studies: 0, shares: 0, sentToPacs: [] };
  const { removed, shaList, studyIds, shareCount, sentToPacs } = await db.transaction(async (tx) => {
    const rows = await tx
      .select({ id: analyses.id, sha: analyses.imageSha256, studyId: analyses.studyId, studyUid: analyses.studyInstanceUid })
      .from(analyses)
      .where(inArray(analyses.id, ids))
      .for("update");
    const found = rows.map((r) => r.id);
    if (found.length === 0) return { removed: 0, shaList: [], studyIds: [], shareCount: 0, sentToPacs: [] };
    const delivered = await tx
      .select({ analysisId: resultDeliveries.analysisId, reviewVersion: resultDeliveries.reviewVersion })
      .from(resultDeliveries)
      .where(and(inArray(resultDeliveries.analysisId, found), eq(resultDeliveries.status, "delivered")));
    const tokens = await tx.select({ tokenHash: shares.tokenHash }).from(shares).where(inArray(shares.analysisId, found));
    if (tokens.length) await tx.insert(erasedShares).values(tokens).onConflictDoNothing();
    // Findings, CAMs, reviews, shares, validation cases, DICOM instance claims and deliveries cascade.
    await tx.delete(analyses).where(inArray(analyses.id, found));
    const studyIds = [...new Set(rows.map((r) => r.studyId))];
    const emptied = await tx
      .delete(studies)
      .where(and(inArray(studies.id, studyIds), sql`not exists (select 1 from ${analyses} a where a.study_id = ${studies.id})`))
      .returning({ id: studies.id });
    const shaList = [...new Set(rows.map((r) => r.sha))];
    const orphaned = await tx
      .delete(images)
      .where(and(inArray(images.sha256, shaList), sql`not exists (select 1 from ${analyses} a where a.image_sha256 = ${images.sha256})`))
      .returning({ sha: images.sha256 });
    const byId = new Map(rows.map((r) => [r.id, r]));
    return {
      removed: found.length,
      shaList: orphaned.map((o) => o.sha),
      studyIds: emptied.map((s) => s.id),
      shareCount: tokens.length,
      sentToPacs: [...new Set(delivered.map((d) => d.analysisId))].map((analysisId) => ({
        studyInstanceUid: byId.get(analysisId)?.studyUid ?? null,
        // Review version 0 is the unverified SR with its captures; each later version a verified SR.
        seriesInstanceUids: delivered
          .filter((d) => d.analysisId === analysisId)
          .flatMap((d) => (d.reviewVersion === 0 ? [resultUids.scSeries(analysisId), resultUids.srSeries(analysisId, null)] : [resultUids.srSeries(analysisId, d.reviewVersion)])),
      })),
    };
  });
  // Files after the commit: a failed commit must not leave records whose files are gone. A file whose
  // deletion fails here is an orphan that `npm run storage:check` lists.
  let files = 0;
  for (const sha of shaList) files += await deleteFilesOf(sha, Object.keys(STORED_KINDS) as StoredKind[]);
  return { analyses: removed, files, studies: studyIds.length, shares: shareCount, sentToPacs };
}

/** Deletes the stored files of one image (deleting one that is not there is fine); the kinds deleted. */
export async function deleteFilesOf(sha: string, kinds: readonly StoredKind[]): Promise<number> {
  for (const kind of kinds) await deleteStored(kind, sha);
  return kinds.length;
}
