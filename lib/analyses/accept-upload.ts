import "server-only";
import { and, asc, eq, inArray } from "drizzle-orm";
import { AppError } from "@/lib/api/errors";
import { asClientError } from "@/lib/api/route";
import { auditRow } from "@/lib/audit/record";
import type { Principal } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import { isDatabaseUnavailable } from "@/lib/db/errors";
import { analyses, auditEvents, images } from "@/lib/db/schema";
import { env } from "@/lib/env";
import { validateUpload, type UploadInfo } from "@/lib/imaging";
import { errorSummary, logger } from "@/lib/log";
import { enqueueAnalyses } from "@/lib/queue/analysis-jobs";
import { queueEngine } from "@/lib/queue/boss";
import { noteAccepted } from "@/lib/queue/depth";
import { deleteStored, hasStored, putStored, sha256Hex } from "@/lib/storage/content-store";
import { assignStudy } from "@/lib/studies/assign";
import { studyKeyOfUpload } from "@/lib/studies/study-key";

export interface UploadedFile {
  fileName: string;
  bytes: Buffer;
}

export interface AcceptInput {
  actor: Principal;
  files: UploadedFile[];
  /** The client's Idempotency-Key: a retried request with the same key gets the first request's analyses. */
  idempotencyKey?: string;
  headers?: Headers;
}

export interface AcceptOutcome {
  /** Queued analyses, in the order of the files that were accepted. */
  ids: string[];
  /** Files refused before anything was stored for them (with several files; one file's error is thrown). */
  refused: { index: number; fileName: string; error: AppError }[];
  /** True when the Idempotency-Key matched an earlier request: `ids` are that request's analyses. */
  replayed: boolean;
}

function cleanFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? "";
  return base.replace(/[\u0000-\u001f]/g, "").slice(0, 200) || "upload";
}

function idempotencyOwner(actor: Principal): string {
  return actor.kind === "apiKey" ? `key:${actor.keyId}` : `user:${actor.userId}`;
}

async function earlierRequest(owner: string, key: string): Promise<string[]> {
  const rows = await db
    .select({ id: analyses.id })
    .from(analyses)
    .where(and(eq(analyses.idempotencyOwner, owner), eq(analyses.idempotencyKey, key)))
    .orderBy(asc(analyses.idempotencyIndex));
  return rows.map((r) => r.id);
}

function isUniqueViolation(error: unknown): boolean {
  for (let e = error as { code?: unknown; cause?: unknown } | undefined, i = 0; e && i < 5; e = e.cause as typeof e, i++) {
    if (e.code === "23505") return true;
  }
  return false;
}

interface Valid extends UploadedFile {
  info: UploadInfo;
  sha256: string;
}

/**
 * Accepts an upload: cheap checks per file (size, type, header, dimensions), the original bytes stored
 * under their content hash, then ONE transaction for the image rows, the `queued` analysis rows, their
 * jobs and audit events. Once it commits, the upload is accepted and nothing can lose it; a worker analyses it
 * afterwards (lib/analyses/run-analyses.ts). Before the commit, nothing this call stored is kept.
 */
export async function acceptUpload(input: AcceptInput): Promise<AcceptOutcome> {
  const { actor, files } = input;
  const owner = idempotencyOwner(actor);
  if (input.idempotencyKey) {
    const earlier = await earlierRequest(owner, input.idempotencyKey);
    if (earlier.length > 0) return { ids: earlier, refused: [], replayed: true };
  }

  const valid: Valid[] = [];
  const refused: AcceptOutcome["refused"] = [];
  for (const [index, file] of files.entries()) {
    try {
      const info = await validateUpload(file.bytes, { maxBytes: env.MAX_UPLOAD_MB * 1024 * 1024, fileName: file.fileName });
      valid.push({ ...file, info, sha256: sha256Hex(file.bytes) });
    } catch (error) {
      const clientError = asClientError(error);
      if (!clientError || files.length === 1) throw error;
      refused.push({ index, fileName: file.fileName, error: clientError });
    }
  }
  if (valid.length === 0) return { ids: [], refused, replayed: false };

  const written: string[] = [];
  let ids: string[];
  try {
    for (const f of valid) {
      if (written.includes(f.sha256) || (await hasStored("original", f.sha256))) continue;
      await putStored("original", f.sha256, f.bytes);
      written.push(f.sha256);
    }
    const boss = await queueEngine();
    ids = await db.transaction(async (tx) => {
      await tx
        .insert(images)
        .values(valid.map((f) => ({ sha256: f.sha256, byteSize: f.bytes.length, format: f.info.format, width: f.info.width, height: f.info.height })))
        .onConflictDoNothing();
      const keys = valid.map((f) => studyKeyOfUpload(f.bytes, f.info.format));
      const studyIds: string[] = [];
      for (const key of keys) studyIds.push(await assignStudy(tx, key));
      const rows = await tx
        .insert(analyses)
        .values(
          valid.map((f, i) => ({
            uploadedBy: actor.userId,
            imageSha256: f.sha256,
            studyId: studyIds[i],
            // Known from the header already, so a sender can find its upload before it is analysed.
            studyInstanceUid: keys[i].studyInstanceUid,
            studyDate: keys[i].studyDate,
            fileName: cleanFileName(f.fileName),
            status: "queued" as const,
            idempotencyOwner: input.idempotencyKey ? owner : null,
            idempotencyKey: input.idempotencyKey ?? null,
            idempotencyIndex: input.idempotencyKey ? i : null,
          })),
        )
        .returning({ id: analyses.id });
      const created = rows.map((r) => r.id);
      await enqueueAnalyses(boss, tx, created);
      // In the same transaction: an accepted upload is always audited, at no extra commit.
      await tx.insert(auditEvents).values(
        created.map((id, i) =>
          auditRow({
            actor,
            action: "analysis.create",
            targetType: "analysis",
            targetId: id,
            details: { format: valid[i].info.format, reusedImage: !written.includes(valid[i].sha256) },
            headers: input.headers,
          }),
        ),
      );
      return created;
    });
  } catch (error) {
    // Only originals this call wrote go, and only when no image row points at them (a concurrent upload
    // of the same file may have committed meanwhile and now owns them).
    if (written.length > 0) {
      const kept = await db
        .select({ sha: images.sha256 })
        .from(images)
        .where(inArray(images.sha256, written))
        .catch(() => written.map((sha) => ({ sha })));
      const owned = new Set(kept.map((k) => k.sha));
      await Promise.all(written.filter((sha) => !owned.has(sha)).map((sha) => deleteStored("original", sha).catch(() => undefined)));
    }
    // The same Idempotency-Key raced in from a concurrent retry: that request's analyses are the answer.
    if (input.idempotencyKey && isUniqueViolation(error)) {
      const earlier = await earlierRequest(owner, input.idempotencyKey);
      if (earlier.length > 0) return { ids: earlier, refused: [], replayed: true };
    }
    if (error instanceof AppError || isDatabaseUnavailable(error)) throw error;
    // Database errors quote the statement's parameters (file names): only their kind and code reach the log.
    logger.error({ err: errorSummary(error) }, "accepting an upload failed");
    throw new AppError("internal", "The upload could not be stored. Please try again; if it keeps failing, tell an administrator.");
  }
  noteAccepted(ids.length);
  return { ids, refused, replayed: false };
}
