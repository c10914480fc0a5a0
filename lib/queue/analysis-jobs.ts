import "server-only";
import { sql } from "drizzle-orm";
import { fromDrizzle, type PgBoss } from "pg-boss";
import { ANALYSIS_QUEUE } from "./boss";

/** What a transaction handle must offer to carry a job insert (drizzle's `tx`). */
interface SqlTransaction {
  execute(query: ReturnType<typeof sql>): Promise<unknown>;
}

export interface AnalysisJob {
  analysisId: string;
}

/**
 * Queues analyses inside the caller's transaction: the jobs exist exactly when the rows that describe
 * them do. The job id is the analysis id, so an analysis can never be queued twice. Start the engine
 * (`queueEngine()`) before opening the transaction: starting it runs queries of its own, which on the
 * single-connection embedded database would wait for the open transaction forever.
 */
export async function enqueueAnalyses(boss: PgBoss, tx: SqlTransaction, analysisIds: string[]): Promise<void> {
  if (analysisIds.length === 0) return;
  const db = fromDrizzle(tx as Parameters<typeof fromDrizzle>[0], sql);
  await boss.insert(
    ANALYSIS_QUEUE,
    analysisIds.map((analysisId) => ({ id: analysisId, data: { analysisId } satisfies AnalysisJob })),
    { db },
  );
}
