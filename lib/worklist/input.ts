// Worklist filters and rows, shared by the client table and the route handler. Filters travel in a POST
// body rather than the URL because a search term can be an accession number: identifiers stay out of
// URLs, server logs and browser history.
import { z } from "zod";
import { Uuid } from "@/lib/core/uuid-param";
import { boundedInstant, lineText } from "@/lib/core/bounded-input";
import type { AnalysisStatus } from "@/lib/db/schema";
import { TRIAGE_LEVELS, type TriageLevel } from "@/lib/triage/rules";

export const REVIEW_STATUSES = ["unreviewed", "in_review", "signed_off"] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];

export const REVIEW_STATUS_LABEL: Record<ReviewStatus, string> = {
  unreviewed: "Unreviewed",
  in_review: "In review",
  signed_off: "Signed off",
};

const empty = (v: unknown) => (v === "" || v === null ? undefined : v);

/** priority: most urgent first (desc), then newest; received: by newest upload; study_date: by the date the film was taken. */
export const WORKLIST_SORTS = ["priority", "received", "study_date"] as const;
export type WorklistSort = (typeof WORKLIST_SORTS)[number];

export const WorklistFilters = z.object({
  status: z.preprocess(empty, z.enum(REVIEW_STATUSES).optional()),
  triage: z.preprocess(empty, z.enum(TRIAGE_LEVELS).optional()),
  finding: z.preprocess(empty, lineText().max(80).optional()),
  uploader: z.preprocess(empty, Uuid.optional()),
  /** ISO instants; the client turns the user's local calendar days into them. */
  from: z.preprocess(empty, boundedInstant().optional()),
  to: z.preprocess(empty, boundedInstant().optional()),
  q: z.preprocess(empty, lineText().trim().max(120).optional()),
  sort: z.enum(WORKLIST_SORTS).default("priority"),
  /** desc: most urgent, newest upload, latest study date first. */
  dir: z.enum(["asc", "desc"]).default("desc"),
  page: z.number().int().min(1).max(10_000).default(1),
  pageSize: z.number().int().min(5).max(200).default(50),
});
export type WorklistFilters = z.input<typeof WorklistFilters>;
export type ParsedWorklistFilters = z.output<typeof WorklistFilters>;

export interface WorklistRow {
  /** The analysis the study is read by (its frontal film): the row opens it. */
  id: string;
  studyId: string;
  imageCount: number;
  /** View positions of the study's images, in upload order (e.g. PA, LL). */
  views: string[];
  /** The study's newest upload. */
  createdAt: string;
  fileName: string;
  accessionNumber: string | null;
  studyDate: string | null;
  viewPosition: string | null;
  modality: string | null;
  status: AnalysisStatus;
  /** Place in the analysis queue while queued (1 = next). */
  queuePosition: number | null;
  triageLevel: TriageLevel | null;
  triageReason: string;
  reviewStatus: ReviewStatus;
  uploader: string | null;
  reviewer: string | null;
  /** Findings at or above the site threshold, highest first, with calibrated scores. */
  called: { label: string; calibrated: number }[];
}

export interface WorklistPage {
  rows: WorklistRow[];
  total: number;
  /** Studies per triage level ("processing" for those without one yet), ignoring the triage filter. */
  counts: Partial<Record<TriageLevel | "processing", number>>;
  page: number;
  pageSize: number;
  /** Server time of the query, so the UI can say how fresh the list is. */
  asOf: string;
}
