import { z } from "zod";
import { Uuid } from "@/lib/core/uuid-param";

/** An admin's request to send a failed delivery again. */
export const RetryDeliveryInput = z.object({
  analysisId: Uuid,
  reviewVersion: z.number().int().min(0).max(10_000),
});
export type RetryDeliveryInput = z.infer<typeof RetryDeliveryInput>;
