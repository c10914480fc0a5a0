// Making a validation set: (a) uploaded images, already analysed (or still in analysis) through the
// normal upload path, with a labels CSV matched to them by file name; or (b) the studies whose current
// review was signed off in a period, with the review as ground truth. The results follow once every
// case has finished (completeSet).
import "server-only";
import { and, eq, inArray } from "drizzle-orm";
import { currentReviews } from "@/lib/analyses/reads";
import { clinicalWork } from "@/lib/analyses/purpose";
import { AppError } from "@/lib/core/errors";
import { recordAudit } from "@/lib/audit/record";
import type { Principal } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import { analyses, findings, validationCases, validationSets } from "@/lib/db/schema";
import { knownLabels } from "@/lib/triage/labels";
import { completeSet } from "./complete-set";
import { plainFileName } from "@/lib/analyses/file-name";
import { LabelsCsvError, parseLabelsCsv, type GroundTruth } from "./labels-csv";
import { truthFromReview } from "./review-truth";

interface NewCase {
  analysisId: string;
  truth: GroundTruth;
}

async function insertSet(
  actor: Principal,
  values: { name: string; source: "upload" | "reviews"; labels: string[]; periodFrom?: string; periodTo?: string },
  cases: NewCase[],
  headers?: Headers,
): Promise<{ id: string }> {
  const id = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(validationSets)
      .values({ ...values, createdBy: actor.userId, summary: { cases: cases.length, analysed: 0, failed: 0 } })
      .returning({ id: validationSets.id });
    await tx.insert(validationCases).values(cases.map((c, position) => ({ setId: row.id, analysisId: c.analysisId, position, truth: c.truth })));
    return row.id;
  });
  await recordAudit({
    actor,
    action: "validation.create",
    targetType: "validation_set",
    targetId: id,
    details: { source: values.source, cases: cases.length, labels: values.labels.length, periodFrom: values.periodFrom, periodTo: values.periodTo },
    headers,
  });
  await completeSet(id);
  return { id };
}

async function parsedLabels(labelsCsv: string) {
  try {
    return parseLabelsCsv(labelsCsv, await knownLabels());
  } catch (error) {
    if (error instanceof LabelsCsvError) throw new AppError("unprocessable", error.message, { subcode: "invalid_labels" });
    throw error;
  }
}

/**
 * Checks a labels file against the images about to be uploaded with it, before any of them is: a file
 * refused for a bad value or a missing row leaves no film behind.
 */
export async function checkLabelsForUpload(labelsCsv: string, fileNames: string[]): Promise<{ labels: string[]; rows: number }> {
  const parsed = await parsedLabels(labelsCsv);
  const rows = new Set(parsed.rows.map((r) => r.file));
  const seen = new Set<string>();
  for (const name of fileNames) {
    const file = plainFileName(name);
    if (seen.has(file)) throw new AppError("unprocessable", `Two images are named ${file}: the labels file matches images by file name.`, { subcode: "duplicate_file" });
    seen.add(file);
    if (!rows.has(file)) throw new AppError("unprocessable", `${file} has no row in the labels file.`, { subcode: "unlabelled_image" });
  }
  return { labels: parsed.labels, rows: parsed.rows.length };
}

export async function createSetFromUpload(args: {
  actor: Principal;
  name: string;
  labelsCsv: string;
  analysisIds: string[];
  headers?: Headers;
}): Promise<{ id: string; rowsWithoutImage: number }> {
  const parsed = await parsedLabels(args.labelsCsv);
  const ids = [...new Set(args.analysisIds)];
  const rows = await db.select({ id: analyses.id, fileName: analyses.fileName, purpose: analyses.purpose }).from(analyses).where(inArray(analyses.id, ids));
  if (rows.length !== ids.length) throw new AppError("not_found", "Some of the uploaded analyses do not exist.");
  // A clinical film stays clinical work: a set made of uploads holds only films uploaded for validation.
  const clinical = rows.find((r) => r.purpose !== "validation");
  if (clinical) {
    throw new AppError("unprocessable", `${plainFileName(clinical.fileName)} was uploaded as clinical work, not for a validation set; upload the set's images with the set.`, {
      subcode: "not_validation_upload",
    });
  }
  const truthByFile = new Map(parsed.rows.map((r) => [r.file, r.labels]));
  const seen = new Set<string>();
  const cases: NewCase[] = [];
  for (const id of ids) {
    // Cleaned as uploads now store names: a name stored before with a leading space still matches.
    const file = plainFileName(rows.find((r) => r.id === id)!.fileName);
    if (seen.has(file)) throw new AppError("unprocessable", `Two images are named ${file}: the labels file matches images by file name.`, { subcode: "duplicate_file" });
    seen.add(file);
    const truth = truthByFile.get(file);
    if (!truth) throw new AppError("unprocessable", `${file} has no row in the labels file.`, { subcode: "unlabelled_image" });
    cases.push({ analysisId: id, truth });
  }
  const { id } = await insertSet(args.actor, { name: args.name, source: "upload", labels: parsed.labels }, cases, args.headers);
  return { id, rowsWithoutImage: parsed.rows.filter((r) => !seen.has(r.file)).length };
}

/** UTC calendar days, inclusive: from 00:00 of `from` to 24:00 of `to`. */
function dayRange(from: string, to: string): [Date, Date] {
  const start = new Date(`${from}T00:00:00Z`);
  const end = new Date(Date.parse(`${to}T00:00:00Z`) + 86_400_000);
  if (end <= start) throw new AppError("unprocessable", "The end of the period is before its start.");
  return [start, end];
}

export async function createSetFromReviews(args: { actor: Principal; name: string; from: string; to: string; headers?: Headers }): Promise<{ id: string }> {
  const [start, end] = dayRange(args.from, args.to);
  // The current version of each review; only those signed off in the period count.
  const current = await currentReviews(and(eq(analyses.status, "completed"), clinicalWork()));
  const signed = current.filter((r) => r.signedOffAt !== null && r.signedOffAt >= start && r.signedOffAt < end);
  if (signed.length === 0) {
    throw new AppError("unprocessable", `No review was signed off between ${args.from} and ${args.to}.`, { subcode: "no_reviews" });
  }
  const calls = await db
    .select({ analysisId: findings.analysisId, label: findings.label, positive: findings.positive, position: findings.position })
    .from(findings)
    .where(inArray(findings.analysisId, signed.map((r) => r.analysisId)));
  const cases = signed.map((r) => ({
    analysisId: r.analysisId,
    truth: truthFromReview(calls.filter((c) => c.analysisId === r.analysisId), r),
  }));
  const order = [...new Map(calls.sort((a, b) => a.position - b.position).map((c) => [c.label, c.position])).keys()];
  const labels = order.filter((l) => cases.some((c) => c.truth[l] !== undefined));
  return insertSet(args.actor, { name: args.name, source: "reviews", labels, periodFrom: args.from, periodTo: args.to }, cases, args.headers);
}
