// DICOM in and out: instances received by STOW-RS, and the delivery of results to the PACS.
import { index, integer, pgEnum, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { analyses } from "./core";

/**
 * One row per SOP Instance UID received, so that a re-sent instance is answered from here instead of
 * being analysed again. A UID identifies an image, not a patient; nothing else of the file is kept here.
 * The row is claimed before the analysis starts (analysis_id still null), so two senders of the same
 * instance at once, even to different processes, cannot both analyse it.
 */
export const dicomInstances = pgTable("dicom_instances", {
  sopInstanceUid: text("sop_instance_uid").primaryKey(),
  sopClassUid: text("sop_class_uid").notNull(),
  analysisId: uuid("analysis_id").references(() => analyses.id, { onDelete: "cascade" }),
  /** SHA-256 of the instance as received: the same UID with other content is a conflict, not a re-send. */
  contentSha256: text("content_sha256"),
  receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
});

export const deliveryStatusEnum = pgEnum("delivery_status", ["pending", "delivered", "failed"]);

/**
 * How the results owed to the PACS stand: the unverified SR and its Secondary Captures when an analysis
 * completes (review_version 0), the verified SR after each sign-off or amendment (its review version).
 * The sending and its retries are jobs on the job queue (lib/pacs/delivery-jobs.ts); this row is what
 * the pages show: "failed" only after the attempts are spent, next_attempt_at the queue's earliest retry.
 */
export const resultDeliveries = pgTable(
  "result_deliveries",
  {
    analysisId: uuid("analysis_id")
      .notNull()
      .references(() => analyses.id, { onDelete: "cascade" }),
    reviewVersion: integer("review_version").notNull(),
    status: deliveryStatusEnum("status").notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull().defaultNow(),
    /** A short reason without patient data (HTTP status or network error kind). */
    lastError: text("last_error"),
    deliveredAt: timestamp("delivered_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.analysisId, t.reviewVersion] }), index("result_deliveries_due_idx").on(t.status, t.nextAttemptAt)],
);

export type ResultDelivery = typeof resultDeliveries.$inferSelect;
