// Analysis workers announce themselves here (lib/queue/worker-registry.ts): readiness says whether any
// worker is attached, and metrics and the admin system page show each one's throughput and batch size.
// The jobs themselves live in pg-boss's own schema.
import { integer, pgTable, real, text, timestamp } from "drizzle-orm/pg-core";

export const queueWorkers = pgTable("queue_workers", {
  id: text("id").primaryKey(),
  /** "web" for the worker inside a web process, "worker" for `npm run worker`. */
  kind: text("kind").notNull(),
  hostname: text("hostname").notNull(),
  pid: integer("pid").notNull(),
  startedAt: timestamp("started_at", { withTimezone: true }).notNull().defaultNow(),
  lastSeenAt: timestamp("last_seen_at", { withTimezone: true }).notNull().defaultNow(),
  /** Set when the worker stops cleanly; a worker that died just stops being seen. */
  stoppedAt: timestamp("stopped_at", { withTimezone: true }),
  jobsDone: integer("jobs_done").notNull().default(0),
  batches: integer("batches").notNull().default(0),
  lastBatchSize: integer("last_batch_size").notNull().default(0),
  /** Analyses finished per second over the last minute, as the worker measured it. */
  perSecond: real("per_second").notNull().default(0),
});

export type QueueWorker = typeof queueWorkers.$inferSelect;
