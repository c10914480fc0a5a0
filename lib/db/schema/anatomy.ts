// The anatomy model's output per analysis: the measurements (jsonb) and the 14 masks as packed bits.
import { boolean, jsonb, pgEnum, pgTable, text, timestamp, uuid, customType } from "drizzle-orm/pg-core";
import { analyses } from "./core";

/**
 * queued: its job waits (the findings are already saved); completed: summary and masks stored;
 * failed: the job gave up (the analysis is not affected); skipped: not a frontal film (no segmentation).
 */
export const anatomyStatusEnum = pgEnum("anatomy_status", ["queued", "completed", "failed", "skipped"]);

/** Raw bytes (bytea); postgres.js gives a Buffer, PGlite a Uint8Array: both are Uint8Arrays. */
const bytes = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => "bytea",
  toDriver: (value) => Buffer.from(value.buffer, value.byteOffset, value.byteLength),
  fromDriver: (value) => value,
});

export const analysisAnatomy = pgTable("analysis_anatomy", {
  analysisId: uuid("analysis_id")
    .primaryKey()
    .references(() => analyses.id, { onDelete: "cascade" }),
  status: anatomyStatusEnum("status").notNull().default("queued"),
  /** Plain-language reason when failed or skipped (no patient data). */
  reason: text("reason"),
  /** lib/anatomy/run-models.ts AnatomySummary (typed in lib/analyses/anatomy-store.ts: db sits below anatomy). */
  summary: jsonb("summary").$type<Record<string, unknown>>(),
  /** targets x size x size bits, numpy packbits order (lib/anatomy/masks.ts): 448 KiB for the PSPNet. */
  masks: bytes("masks"),
  modelName: text("model_name"),
  modelVersion: text("model_version"),
  modelTrained: boolean("model_trained"),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  completedAt: timestamp("completed_at", { withTimezone: true }),
});

export type AnalysisAnatomy = typeof analysisAnatomy.$inferSelect;
