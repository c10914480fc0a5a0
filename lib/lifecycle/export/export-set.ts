// De-identified export for research: a validation set or the analyses of a date range, as DICOM
// de-identified by ./deidentify.ts (one pseudonym per patient, new UIDs, dates moved), the PNG display
// renderings, the findings as CSV and, for a validation set, its labels. Cases are numbered; nothing in
// the folder leads back to the app's records. Every export is audited (by whom, what scope, how many).
import "server-only";
import crypto from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { and, asc, eq, gte, inArray, lt } from "drizzle-orm";
import { AppError } from "@/lib/core/errors";
import { recordAudit } from "@/lib/audit/record";
import type { Principal } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import { analyses, findings, images, reviews, studies, validationCases, validationSets } from "@/lib/db/schema";
import { toCsv } from "@/lib/stats/csv";
import { getStored } from "@/lib/storage/content-store";
import { deidentifyDicom, NotExportableError, type ExportKey } from "./deidentify";

export type ExportScope = { validationSetId: string } | { from: string; to: string };

export interface ExportSummary {
  cases: number;
  dicomFiles: number;
  pngFiles: number;
  skipped: { case: string; reason: string }[];
}

interface CaseRow {
  id: string;
  sha: string;
  format: string;
  patientLink: string | null;
  viewPosition: string | null;
  triageLevel: string | null;
  reviewStatus: string;
  modelName: string | null;
  modelVersion: string | null;
  modelTrained: boolean | null;
  truth?: Record<string, 0 | 1>;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

async function casesOf(scope: ExportScope): Promise<{ rows: CaseRow[]; labels: string[] | null }> {
  const columns = {
    id: analyses.id,
    sha: analyses.imageSha256,
    format: images.format,
    patientLink: studies.patientLink,
    viewPosition: analyses.viewPosition,
    triageLevel: analyses.triageLevel,
    reviewStatus: analyses.reviewStatus,
    modelName: analyses.modelName,
    modelVersion: analyses.modelVersion,
    modelTrained: analyses.modelTrained,
  };
  const base = () =>
    db
      .select(columns)
      .from(analyses)
      .innerJoin(images, eq(images.sha256, analyses.imageSha256))
      .innerJoin(studies, eq(studies.id, analyses.studyId));
  if ("validationSetId" in scope) {
    const [set] = await db.select({ labels: validationSets.labels }).from(validationSets).where(eq(validationSets.id, scope.validationSetId));
    if (!set) throw new AppError("not_found", "No such validation set.");
    const cases = await db.select().from(validationCases).where(eq(validationCases.setId, scope.validationSetId)).orderBy(asc(validationCases.position));
    const rows = cases.length ? await base().where(inArray(analyses.id, cases.map((c) => c.analysisId))) : [];
    const byId = new Map(rows.map((r) => [r.id, r]));
    return { rows: cases.flatMap((c) => (byId.has(c.analysisId) ? [{ ...byId.get(c.analysisId)!, truth: c.truth }] : [])), labels: set.labels };
  }
  if (!DAY.test(scope.from) || !DAY.test(scope.to) || scope.from > scope.to) throw new AppError("validation_failed", "Give the period as two days, YYYY-MM-DD, the first not after the second.");
  const end = new Date(`${scope.to}T00:00:00Z`);
  end.setUTCDate(end.getUTCDate() + 1);
  const rows = await base()
    .where(and(eq(analyses.status, "completed"), gte(analyses.createdAt, new Date(`${scope.from}T00:00:00Z`)), lt(analyses.createdAt, end)))
    .orderBy(asc(analyses.createdAt), asc(analyses.id));
  return { rows, labels: null };
}

export async function exportDeidentified(actor: Principal | null, scope: ExportScope, outDir: string, headers?: Headers): Promise<ExportSummary> {
  const dir = path.resolve(outDir);
  const existing = await fs.readdir(dir).catch(() => []);
  if (existing.length) throw new AppError("conflict", `${dir} is not empty: an export goes into a new or empty folder.`);
  const { rows, labels } = await casesOf(scope);
  if (rows.length === 0) throw new AppError("not_found", "Nothing to export: no completed analysis in that scope.");
  await fs.mkdir(path.join(dir, "dicom"), { recursive: true, mode: 0o700 });
  await fs.mkdir(path.join(dir, "png"), { recursive: true, mode: 0o700 });

  // The export's secret: never written anywhere, so its UIDs and pseudonyms cannot be mapped back.
  const key: ExportKey = { salt: crypto.randomBytes(32).toString("hex"), dayShift: -(365 + crypto.randomInt(730)) };
  const pseudonyms = new Map<string, string>();
  const pseudonymOf = (r: CaseRow) => {
    const k = r.patientLink ?? `single:${r.id}`;
    if (!pseudonyms.has(k)) pseudonyms.set(k, `EXPORT-P${String(pseudonyms.size + 1).padStart(4, "0")}`);
    return pseudonyms.get(k)!;
  };
  const summary: ExportSummary = { cases: rows.length, dicomFiles: 0, pngFiles: 0, skipped: [] };
  const ids = rows.map((r) => r.id);
  const found = await db.select().from(findings).where(inArray(findings.analysisId, ids)).orderBy(asc(findings.position));
  const signed = await db.select().from(reviews).where(inArray(reviews.analysisId, ids)).orderBy(asc(reviews.version));
  const findingLabels = [...new Set(found.map((f) => f.label))];
  const csvRows: Record<string, string | number | null>[] = [];

  for (const [i, r] of rows.entries()) {
    const caseId = `case-${String(i + 1).padStart(4, "0")}`;
    const patient = pseudonymOf(r);
    if (r.format === "dicom") {
      const original = await getStored("original", r.sha);
      if (!original) summary.skipped.push({ case: caseId, reason: "its original file is no longer stored" });
      else {
        try {
          await fs.writeFile(path.join(dir, "dicom", `${caseId}.dcm`), deidentifyDicom(original, key, patient), { mode: 0o600 });
          summary.dicomFiles++;
        } catch (error) {
          if (!(error instanceof NotExportableError)) throw error;
          summary.skipped.push({ case: caseId, reason: `DICOM not exported: ${error.message}` });
        }
      }
    }
    const png = await getStored("display", r.sha);
    if (png) {
      await fs.writeFile(path.join(dir, "png", `${caseId}.png`), png, { mode: 0o600 });
      summary.pngFiles++;
    }
    const latest = signed.filter((v) => v.analysisId === r.id && v.signedOffAt).at(-1);
    const row: Record<string, string | number | null> = {
      case: caseId,
      patient,
      view_position: r.viewPosition,
      model: r.modelName,
      model_version: r.modelVersion,
      model_trained: r.modelTrained === null ? null : String(r.modelTrained),
      triage: r.triageLevel,
      review: r.reviewStatus,
    };
    for (const f of found.filter((f) => f.analysisId === r.id)) {
      row[`score:${f.label}`] = f.calibrated === null ? null : Number(f.calibrated.toFixed(6));
      if (latest) row[`radiologist:${f.label}`] = latest.decisions[f.label] ?? null;
    }
    csvRows.push(row);
    if (labels && r.truth) for (const l of labels) row[`label:${l}`] = r.truth[l] ?? null;
  }

  const columns = [
    "case",
    "patient",
    "view_position",
    "model",
    "model_version",
    "model_trained",
    "triage",
    "review",
    ...findingLabels.map((l) => `score:${l}`),
    ...findingLabels.map((l) => `radiologist:${l}`),
    ...(labels ?? []).map((l) => `label:${l}`),
  ];
  await fs.writeFile(path.join(dir, "findings.csv"), toCsv(columns.map((c) => ({ header: c, value: (row: Record<string, string | number | null>) => row[c] })), csvRows), { mode: 0o600 });
  const manifest = {
    format: "cxr-deidentified-export/1",
    createdAt: new Date().toISOString().slice(0, 10),
    scope: "validationSetId" in scope ? "validation set" : "period",
    profile: {
      standard: "DICOM PS3.15 Annex E",
      codes: ["113100 Basic Application Confidentiality Profile", "113107 Retain Longitudinal Temporal Information Modified Dates Option", "113108 Retain Patient Characteristics Option"],
      notes: "Dates moved by one undisclosed whole-day offset per export; UIDs replaced (consistent within the export); private and free-text attributes removed; films with burned-in annotation not exported as DICOM.",
    },
    ...summary,
  };
  await fs.writeFile(path.join(dir, "manifest.json"), `${JSON.stringify(manifest, null, 1)}\n`, { mode: 0o600 });
  await recordAudit({
    actor,
    action: "data.export_deidentified",
    targetType: "validationSetId" in scope ? "validation_set" : "period",
    targetId: "validationSetId" in scope ? scope.validationSetId : `${scope.from}..${scope.to}`,
    details: { cases: summary.cases, dicomFiles: summary.dicomFiles, pngFiles: summary.pngFiles, skipped: summary.skipped.length },
    headers,
  });
  return summary;
}
