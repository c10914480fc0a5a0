import "server-only";
import crypto from "node:crypto";
import { and, asc, eq, inArray } from "drizzle-orm";
import { AppError } from "@/lib/core/errors";
import { asClientError } from "@/lib/api/route";
import { auditRow } from "@/lib/audit/record";
import type { Principal } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import { isDatabaseUnavailable } from "@/lib/db/errors";
import { together } from "@/lib/db/together";
import { analyses, auditEvents, images, type Analysis } from "@/lib/db/schema";
import { env } from "@/lib/env";
import { validateUpload, type UploadInfo } from "@/lib/imaging";
import { errorSummary, logger } from "@/lib/log";
import { enqueueAnalyses } from "@/lib/queue/analysis-jobs";
import { queueEngine } from "@/lib/queue/boss";
import { noteAccepted } from "@/lib/queue/depth";
import { deleteStored, hasStored, putStored, sha256Hex } from "@/lib/storage/content-store";
import { assignStudy } from "@/lib/studies/assign";
import { isStudyPatientRace, patientMismatches, studyPatientMismatch } from "@/lib/studies/patient-guard";
import { studyKeyOfUpload } from "@/lib/studies/study-key";
import { cleanFileName } from "@/lib/analyses/file-name";
import type { AnalysisPurpose } from "@/lib/analyses/purpose";
import type { StudyKey } from "@/lib/studies/assign";
import { claimInstances, isAlreadyReceived } from "./instance-claims";
import { instanceOfUpload, sortInstances, type UploadInstance } from "./upload-instances";

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
  /**
   * Runs in the upload's transaction once its rows are written, with the new analyses' ids (a STOW-RS
   * claim on the instance): what it throws rolls the whole upload back and is thrown to the caller.
   */
  inTransaction?: (tx: AcceptTransaction, analysisIds: string[]) => Promise<void>;
  /**
   * clinical (the default): the worklist's work, filed under its DICOM study, one analysis per SOP
   * Instance UID. validation: a validation set's film, kept apart from clinical work (a study of its
   * own, no claim on its UID), seen only inside its set.
   */
  purpose?: AnalysisPurpose;
}

/** The handle of acceptUpload's one transaction. */
export type AcceptTransaction = Parameters<Parameters<typeof db.transaction>[0]>[0];

export interface AcceptOutcome {
  /** Queued analyses, in the order of the files that were accepted. */
  ids: string[];
  /** Files refused before anything was stored for them (with several files; one file's error is thrown). */
  refused: { index: number; fileName: string; error: AppError }[];
  /** True when the Idempotency-Key matched an earlier request: `ids` are that request's analyses. */
  replayed: boolean;
  /**
   * Analyses among `ids` that were there before this request: DICOM instances received before (same
   * SOP Instance UID, same content) are answered with the analysis they became, not analysed again.
   */
  alreadyReceived: string[];
  /**
   * What this call wrote for each of `ids`, as committed (absent when `replayed` or when some of `ids`
   * were there before, or named twice): enough to answer
   * with the queued analyses without reading them back.
   */
  created?: { analysis: Analysis; image: AcceptedImage }[];
}

/** The image row of an accepted file: the same for every upload of the same bytes. */
export interface AcceptedImage {
  sha256: string;
  byteSize: number;
  format: string;
  width: number;
  height: number;
}

function idempotencyOwner(actor: Principal): string {
  return actor.kind === "apiKey" ? `key:${actor.keyId}` : `user:${actor.userId}`;
}

/**
 * The analyses of the earlier request with this key, when it sent the same files (by content, in order);
 * a key re-used for other files is refused (422, as the IETF Idempotency-Key draft says), never answered
 * with the first request's analyses as if they were these files'.
 */
async function earlierRequest(owner: string, key: string, sha256s: string[]): Promise<string[]> {
  const rows = await db
    .select({ id: analyses.id, sha256: analyses.imageSha256 })
    .from(analyses)
    .where(and(eq(analyses.idempotencyOwner, owner), eq(analyses.idempotencyKey, key)))
    .orderBy(asc(analyses.idempotencyIndex));
  if (rows.length > 0 && rows.map((r) => r.sha256).join() !== sha256s.join()) {
    throw new AppError("unprocessable", "This Idempotency-Key was already used for a request with other files. Use a new key for a new request.", {
      subcode: "idempotency_key_reused",
    });
  }
  return rows.map((r) => r.id);
}

function isUniqueViolation(error: unknown): boolean {
  for (let e = error as { code?: unknown; cause?: unknown } | undefined, i = 0; e && i < 5; e = e.cause as typeof e, i++) {
    if (e.code === "23505") return true;
  }
  return false;
}

interface Valid extends UploadedFile {
  index: number;
  info: UploadInfo;
  sha256: string;
}

/**
 * Accepts an upload: cheap checks per file (size, type, header, dimensions), the original bytes stored
 * under their content hash, then ONE transaction for the image rows, the `queued` analysis rows, their
 * jobs and audit events. Once it commits, the upload is accepted and nothing can lose it; a worker analyses it
 * afterwards (lib/jobs/run-analyses.ts). Before the commit, nothing this call stored is kept.
 * `attempt` is internal: an upload that lost the race for a DICOM instance is sorted once more.
 */
export async function acceptUpload(input: AcceptInput, attempt = 1): Promise<AcceptOutcome> {
  const { actor, files } = input;
  const validation = input.purpose === "validation";
  const owner = idempotencyOwner(actor);

  const valid: Valid[] = [];
  const refused: AcceptOutcome["refused"] = [];
  for (const [index, file] of files.entries()) {
    try {
      const info = await validateUpload(file.bytes, { maxBytes: env.MAX_UPLOAD_MB * 1024 * 1024, fileName: file.fileName });
      valid.push({ ...file, index, info, sha256: sha256Hex(file.bytes) });
    } catch (error) {
      const clientError = asClientError(error);
      if (!clientError || files.length === 1) throw error;
      refused.push({ index, fileName: file.fileName, error: clientError });
    }
  }
  if (valid.length === 0) return { ids: [], refused, replayed: false, alreadyReceived: [] };
  // A validation film is filed under no patient's study, so no patient's study can refuse it.
  const keys = validation ? valid.map((f) => studyKeyOfUpload(f.bytes, f.info.format)) : await withoutOtherPatients(valid, refused, files.length);
  // STOW-RS claims its one instance itself (`inTransaction`); validation films take no UID's place.
  const sent = valid.map((f) => f.sha256);
  const known = validation || input.inTransaction ? { instances: valid.map(() => null), answered: [] } : await withoutKnownInstances(valid, keys, refused, files.length);
  // A retry of a request that did commit finds its own instances received: it is a replay, answered as one.
  if (input.idempotencyKey && known.answered.some((a) => a.analysisId)) {
    const earlier = await earlierRequest(owner, input.idempotencyKey, sent);
    if (earlier.length > 0) return { ids: earlier, refused: [], replayed: true, alreadyReceived: [] };
  }
  const answeredIds = (idOfFile: Map<number, string>) => known.answered.map((a) => ({ index: a.index, id: a.analysisId ?? idOfFile.get(a.sameAsIndex!)! }));
  const alreadyReceived = known.answered.flatMap((a) => (a.analysisId ? [a.analysisId] : []));
  if (valid.length === 0) return { ids: answeredIds(new Map()).map((a) => a.id), refused, replayed: false, alreadyReceived };

  const imagesOf: AcceptedImage[] = valid.map((f) => ({ sha256: f.sha256, byteSize: f.bytes.length, format: f.info.format, width: f.info.width, height: f.info.height }));
  const written: string[] = [];
  let ids: string[];
  let rows: Analysis[];
  try {
    for (const f of valid) {
      if (written.includes(f.sha256) || (await hasStored("original", f.sha256))) continue;
      await putStored("original", f.sha256, f.bytes);
      written.push(f.sha256);
    }
    const boss = await queueEngine();
    // Made here rather than by the database, so that no statement waits for another's answer: the
    // statements below are sent together (postgres.js pipelines what is issued at once on the
    // transaction's connection, in the order issued) and the transaction costs three round trips
    // (begin, the statements, commit) whatever the number of files.
    ids = valid.map(() => crypto.randomUUID());
    rows = await db.transaction(async (tx) => {
      const imageRows = tx.insert(images).values(imagesOf).onConflictDoNothing();
      // The rows the analyses point at (images, studies) are issued before the analyses.
      // A validation film: a study of its own (never an image of a clinical study), still linked to its
      // patient so that erasing the patient's data finds it.
      const studiesOf = keys.map((key) => assignStudy(tx, validation ? { ...key, studyInstanceUid: null } : key));
      const analysisRows = tx
        .insert(analyses)
        .values(
          valid.map((f, i) => ({
            id: ids[i],
            uploadedBy: actor.userId,
            imageSha256: f.sha256,
            studyId: studiesOf[i].studyId,
            // Known from the header already, so a sender can find its upload before it is analysed.
            studyInstanceUid: keys[i].studyInstanceUid,
            studyDate: keys[i].studyDate,
            fileName: cleanFileName(f.fileName),
            status: "queued" as const,
            purpose: input.purpose ?? "clinical",
            // A retry with the same key and owner collides here with the first request's rows (the
            // unique index on owner, key and index), which is how it is answered with them, below.
            idempotencyOwner: input.idempotencyKey ? owner : null,
            idempotencyKey: input.idempotencyKey ?? null,
            idempotencyIndex: input.idempotencyKey ? i : null,
          })),
        )
        .returning();
      // In the same transaction: an accepted upload is always audited, at no extra commit.
      const auditRows = tx.insert(auditEvents).values(
        ids.map((id, i) =>
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
      const done = await together([imageRows, ...studiesOf.map((s) => s.statement), analysisRows, enqueueAnalyses(boss, tx, ids), auditRows]);
      await claimInstances(tx, known.instances.flatMap((instance, i) => (instance ? [{ ...instance, analysisId: ids[i] }] : [])));
      if (input.inTransaction) await input.inTransaction(tx, ids);
      return done[1 + studiesOf.length] as Analysis[];
    });
  } catch (caught) {
    // A study of another patient made by a concurrent upload since the check: refused the same way.
    const error = isStudyPatientRace(caught) ? studyPatientMismatch() : caught;
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
    // The same Idempotency-Key was used before (a retry, or a concurrent one that won the race): that
    // request's analyses are the answer. Found by the insert itself rather than by a read before it,
    // which every upload with a key paid for and only retries needed.
    if (input.idempotencyKey && isUniqueViolation(error)) {
      const earlier = await earlierRequest(owner, input.idempotencyKey, valid.map((f) => f.sha256));
      if (earlier.length > 0) return { ids: earlier, refused: [], replayed: true, alreadyReceived: [] };
    }
    // A concurrent upload of one of these instances committed first: sorted again, this upload's file
    // is answered with that upload's analysis.
    if (isAlreadyReceived(error) && !input.inTransaction && attempt === 1) return acceptUpload(input, attempt + 1);
    if (error instanceof AppError || isDatabaseUnavailable(error)) throw error;
    // Database errors quote the statement's parameters (file names): only their kind and code reach the log.
    logger.error({ err: errorSummary(error) }, "accepting an upload failed");
    throw new AppError("internal", "The upload could not be stored. Please try again; if it keeps failing, tell an administrator.");
  }
  noteAccepted(ids.length);
  if (known.answered.length > 0) {
    const idOfFile = new Map(valid.map((f, i) => [f.index, ids[i]]));
    const all = [...valid.map((f, i) => ({ index: f.index, id: ids[i] })), ...answeredIds(idOfFile)].sort((a, b) => a.index - b.index);
    return { ids: all.map((a) => a.id), refused, replayed: false, alreadyReceived };
  }
  const byId = new Map(rows.map((r) => [r.id, r]));
  return { ids, refused, replayed: false, alreadyReceived, created: ids.map((id, i) => ({ analysis: byId.get(id)!, image: imagesOf[i] })) };
}

/**
 * The study keys of `valid`, with the files whose study belongs to another patient taken out (into
 * `refused`; with a single file, its refusal is thrown): an image is never filed under another patient.
 */
async function withoutOtherPatients(valid: Valid[], refused: AcceptOutcome["refused"], fileCount: number) {
  const keys = valid.map((f) => studyKeyOfUpload(f.bytes, f.info.format));
  const mismatched = await patientMismatches(keys);
  if (mismatched.size === 0) return keys;
  if (fileCount === 1) throw studyPatientMismatch();
  for (const i of [...mismatched].sort((a, b) => b - a)) {
    refused.push({ index: valid[i].index, fileName: valid[i].fileName, error: studyPatientMismatch() });
    valid.splice(i, 1);
    keys.splice(i, 1);
  }
  refused.sort((a, b) => a.index - b.index);
  return keys;
}

interface AnsweredFile {
  index: number;
  /** The analysis the instance became when it was received before. */
  analysisId?: string;
  /** Else the file of this request that is the same instance. */
  sameAsIndex?: number;
}

/**
 * The instances of `valid` to claim (parallel to it once it returns), with the files that are instances
 * received before, or sent twice in this request, taken out (answered with the analysis they are) and
 * files re-using a received UID with other content taken out into `refused` (with a single file, its
 * refusal is thrown).
 */
async function withoutKnownInstances(valid: Valid[], keys: StudyKey[], refused: AcceptOutcome["refused"], fileCount: number) {
  const instances: (UploadInstance | null)[] = valid.map((f) => instanceOfUpload(f.bytes, f.info.format, f.sha256));
  const sorts = await sortInstances(instances);
  const answered: AnsweredFile[] = [];
  for (let i = sorts.length - 1; i >= 0; i--) {
    const s = sorts[i];
    if (s.kind === "new") continue;
    if (s.kind === "refused") {
      if (fileCount === 1) throw s.error;
      refused.push({ index: valid[i].index, fileName: valid[i].fileName, error: s.error });
    } else if (s.kind === "received") answered.push({ index: valid[i].index, analysisId: s.analysisId });
    else answered.push({ index: valid[i].index, sameAsIndex: valid[s.position].index });
    valid.splice(i, 1);
    keys.splice(i, 1);
    instances.splice(i, 1);
  }
  refused.sort((a, b) => a.index - b.index);
  return { instances, answered };
}
