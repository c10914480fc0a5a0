import "server-only";
import { sql } from "drizzle-orm";
import { fromDrizzle, type PgBoss } from "pg-boss";
import { ANALYSIS_QUEUE } from "./boss";

/** What a transaction handle must offer to carry a job insert (drizzle's `tx`). */
export interface SqlTransaction {
  execute(query: ReturnType<typeof sql>): Promise<unknown>;
}

export interface AnalysisJob {
  analysisId: string;
}

/**
 * Inserts jobs inside the caller's transaction: the jobs exist exactly when the rows that describe them
 * do. Start the engine (`queueEngine()`) before opening the transaction: starting it runs queries of its
 * own, which on the single-connection embedded database would wait for the open transaction forever.
 */
export async function insertJobs<T extends object>(
  boss: PgBoss,
  tx: SqlTransaction,
  queue: string,
  jobs: { id?: string; data: T; startAfter?: Date }[],
): Promise<void> {
  if (jobs.length === 0) return;
  const db = fromDrizzle(tx as Parameters<typeof fromDrizzle>[0], sql);
  await boss.insert(queue, jobs, { db });
}

/** Queues analyses in the caller's transaction. The job id is the analysis id, so an analysis can never be queued twice. */
export async function enqueueAnalyses(boss: PgBoss, tx: SqlTransaction, analysisIds: string[]): Promise<void> {
  await insertJobs(
    boss,
    tx,
    ANALYSIS_QUEUE,
    analysisIds.map((analysisId) => ({ id: analysisId, data: { analysisId } satisfies AnalysisJob })),
  );
}
