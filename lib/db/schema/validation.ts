// Local validation: labelled sets of this site's own films, and what the model scored on them. A set's
// cases point at ordinary analyses (made by the normal upload path, or the signed-off ones of a period);
// its results are a snapshot taken when every case had finished, so sets compare over time.
import { boolean, doublePrecision, index, integer, jsonb, pgEnum, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { analyses, users } from "./core";

export const validationSourceEnum = pgEnum("validation_source", ["upload", "reviews"]);
export const validationStatusEnum = pgEnum("validation_status", ["processing", "completed", "failed"]);

export const validationSets = pgTable(
  "validation_sets",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: text("name").notNull(),
    source: validationSourceEnum("source").notNull(),
    status: validationStatusEnum("status").notNull().default("processing"),
    createdBy: uuid("created_by")
      .notNull()
      .references(() => users.id),
    /** For sets from reviews: the sign-off days included (YYYY-MM-DD, UTC, inclusive). */
    periodFrom: text("period_from"),
    periodTo: text("period_to"),
    /** Findings the set has labels for, in the model's order. */
    labels: jsonb("labels").$type<string[]>().notNull(),
    /** The model of the analysed cases (the most frequent one when cases differ, listed in `models`). */
    modelName: text("model_name"),
    modelVersion: text("model_version"),
    modelTrained: boolean("model_trained"),
    models: jsonb("models").$type<{ name: string; version: string; trained: boolean; cases: number }[]>().notNull().default([]),
    /** Site thresholds when the results were computed. */
    siteThresholds: jsonb("site_thresholds").$type<Record<string, number>>().notNull().default({}),
    summary: jsonb("summary").$type<{ cases: number; analysed: number; failed: number }>().notNull().default({ cases: 0, analysed: 0, failed: 0 }),
    error: text("error"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    completedAt: timestamp("completed_at", { withTimezone: true }),
  },
  (t) => [index("validation_sets_created_at_idx").on(t.createdAt)],
);

export const validationCases = pgTable(
  "validation_cases",
  {
    setId: uuid("set_id")
      .notNull()
      .references(() => validationSets.id, { onDelete: "cascade" }),
    analysisId: uuid("analysis_id")
      .notNull()
      .references(() => analyses.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    /** Ground truth per finding: 1 present, 0 absent; a missing label is unknown. */
    truth: jsonb("truth").$type<Record<string, 0 | 1>>().notNull(),
  },
  (t) => [primaryKey({ columns: [t.setId, t.analysisId] })],
);

export const validationResults = pgTable(
  "validation_results",
  {
    setId: uuid("set_id")
      .notNull()
      .references(() => validationSets.id, { onDelete: "cascade" }),
    label: text("label").notNull(),
    position: integer("position").notNull(),
    n: integer("n").notNull(),
    positives: integer("positives").notNull(),
    auc: doublePrecision("auc"),
    aucLow: doublePrecision("auc_low"),
    aucHigh: doublePrecision("auc_high"),
    ece: doublePrecision("ece"),
    /** The whole evaluation (lib/validation/evaluate.ts FindingEvaluation): ROC, calibration, operating points. */
    evaluation: jsonb("evaluation").$type<Record<string, unknown>>().notNull(),
  },
  (t) => [primaryKey({ columns: [t.setId, t.label] })],
);

export type ValidationSet = typeof validationSets.$inferSelect;
