import "server-only";
import { asc, desc, eq, ne, sql } from "drizzle-orm";
import { db } from "@/lib/db/client";
import { resultDeliveries, type ResultDelivery } from "@/lib/db/schema";
import { env } from "@/lib/env";

// What the result page and the admin system page show of the deliveries to the PACS.

export type DeliveryView = Pick<ResultDelivery, "reviewVersion" | "status" | "attempts" | "lastError" | "nextAttemptAt" | "deliveredAt">;

/** The PACS's address without credentials or path secrets: scheme, host and path only. */
export function deliveryTarget(): string | null {
  if (!env.DICOMWEB_RESULTS_URL) return null;
  const url = new URL(env.DICOMWEB_RESULTS_URL);
  return `${url.protocol}//${url.host}${url.pathname}`;
}

/** The columns of a DeliveryView, selected the same way wherever deliveries are shown. */
const deliveryView = {
  reviewVersion: resultDeliveries.reviewVersion,
  status: resultDeliveries.status,
  attempts: resultDeliveries.attempts,
  lastError: resultDeliveries.lastError,
  nextAttemptAt: resultDeliveries.nextAttemptAt,
  deliveredAt: resultDeliveries.deliveredAt,
};

export async function deliveriesOf(analysisId: string): Promise<DeliveryView[]> {
  return db
    .select(deliveryView)
    .from(resultDeliveries)
    .where(eq(resultDeliveries.analysisId, analysisId))
    .orderBy(asc(resultDeliveries.reviewVersion));
}

export interface DeliverySummary {
  target: string | null;
  counts: Record<ResultDelivery["status"], number>;
  /** Deliveries not yet delivered, oldest first (at most 10). */
  outstanding: (DeliveryView & { analysisId: string })[];
}

export async function deliverySummary(): Promise<DeliverySummary> {
  const rows = await db
    .select({ status: resultDeliveries.status, n: sql<number>`count(*)::int` })
    .from(resultDeliveries)
    .groupBy(resultDeliveries.status);
  const counts = { pending: 0, delivered: 0, failed: 0 };
  for (const r of rows) counts[r.status] = Number(r.n);
  const outstanding = await db
    .select({ analysisId: resultDeliveries.analysisId, ...deliveryView })
    .from(resultDeliveries)
    .where(ne(resultDeliveries.status, "delivered"))
    .orderBy(desc(resultDeliveries.status), asc(resultDeliveries.createdAt))
    .limit(10);
  return { target: deliveryTarget(), counts, outstanding };
}
