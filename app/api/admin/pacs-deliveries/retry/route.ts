import { AppError } from "@/lib/core/errors";
import { defineRoute } from "@/lib/api/route";
import { recordAudit } from "@/lib/audit/record";
import { ADMIN_ROLES } from "@/lib/core/roles";
import { retryFailedDelivery } from "@/lib/pacs/delivery-jobs";
import { RetryDeliveryInput } from "@/lib/pacs/retry-input";

/** Sends results whose delivery to the PACS failed (attempts spent) again, from the first attempt: a new job. */
export const POST = defineRoute({ auth: "session", roles: ADMIN_ROLES, body: RetryDeliveryInput }, async ({ body, principal, req }) => {
  if (!(await retryFailedDelivery(body.analysisId, body.reviewVersion))) {
    throw new AppError("not_found", "No failed delivery of those results: it may have been delivered or retried already.");
  }
  await recordAudit({
    actor: principal,
    action: "pacs.delivery_retry",
    targetType: "analysis",
    targetId: body.analysisId,
    details: { reviewVersion: body.reviewVersion },
    headers: req.headers,
  });
  return { retried: true };
});
