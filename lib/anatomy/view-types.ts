import type { AnatomySummary } from "./run-models";

// The anatomy of one analysis as the viewer and the API read it (lib/analyses/anatomy-view.ts makes it).
// Types only: safe on the client.

/** `not_requested`: no segmentation was queued for it (anatomy off, or analysed before it was on). */
export type AnatomyViewStatus = "completed" | "queued" | "failed" | "skipped" | "not_requested";

export interface AnatomyView {
  analysisId: string;
  status: AnatomyViewStatus;
  /** Why there is none (failed, skipped); null otherwise. */
  reason: string | null;
  /** Every value here is measured by software from the model's masks, never by a reader. */
  measuredBy: "software";
  model: { name: string; version: string; trained: boolean } | null;
  film: { width: number; height: number };
  ctr: AnatomySummary["ctr"] | null;
  lines: AnatomySummary["film"] | null;
  projection: "AP" | "PA" | null;
  apNote: string | null;
  findingZones: Record<string, string | null>;
  /** The 14 structures in the model's target order, each with its pixel count and outlines (film pixels). */
  structures: { name: string; pixels: number; outlines: number[][] }[];
  masks?: { encoding: "packbits"; size: number; targets: number; base64: string };
}
