// Review inputs, shared by the review form (client) and the route handlers: one schema, one truth.
import { z } from "zod";
import { lineText, multilineText } from "@/lib/core/bounded-input";
import { Measurements, type Measurement } from "@/lib/core/measurement-types";
import { OverallResult } from "@/lib/core/overall-result";

export const Decision = z.enum(["agree", "disagree"]);
export type Decision = z.infer<typeof Decision>;

export const ReviewDraftInput = z.object({
  /** label -> agree/disagree with the model's call for that finding. */
  decisions: z.record(lineText().min(1).max(80), Decision).default({}),
  /** Findings the model missed: a model label, or a short free-text finding outside the label set. */
  addedFindings: z.array(lineText().trim().min(1).max(120)).max(30).default([]),
  impression: multilineText().max(5000).default(""),
  /** Distances and cardiothoracic ratios drawn on the film (image pixels). */
  measurements: Measurements.optional(),
  /**
   * The overall result. Signing off records it and refuses "normal" beside any confirmed finding; a client
   * that leaves it out gets the one the confirmed findings imply (abnormal with any, else normal).
   */
  overallResult: OverallResult.nullable().optional(),
});
export type ReviewDraftInput = z.infer<typeof ReviewDraftInput>;

export const AmendInput = ReviewDraftInput.extend({
  reason: multilineText().trim().min(3, "Give a reason for the amendment.").max(1000),
  /** The version the reviewer was looking at; a newer amendment in between is a conflict, not an overwrite. */
  baseVersion: z.number().int().min(1),
});
export type AmendInput = z.infer<typeof AmendInput>;

/** A reader's own draft of a review, saved as they type; only they see it. */
export interface OwnDraft {
  content: ReviewDraftInput;
  /** When it was last saved (ISO). */
  savedAt: string;
}

export type ReviewStatus = "unreviewed" | "in_review" | "signed_off";

export interface ReviewVersionView {
  id: string;
  version: number;
  reviewer: { id: string; name: string; email: string };
  decisions: Record<string, Decision>;
  addedFindings: string[];
  impression: string;
  measurements: Measurement[];
  amendmentReason: string | null;
  overallResult: OverallResult | null;
  signedOffAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface ReviewState {
  analysisId: string;
  status: ReviewStatus;
  /** Newest version first; the first entry is the current review. */
  versions: ReviewVersionView[];
}
