import "server-only";
import type { Principal } from "@/lib/auth/principal";
import { recordAudit } from "@/lib/audit/record";

/** Who took a validation set's numbers (per-image scores carry file names) out of the app. */
export function auditValidationExport(actor: Principal, setId: string, format: string, headers: Headers): Promise<void> {
  return recordAudit({ actor, action: "validation.export", targetType: "validation_set", targetId: setId, details: { format }, headers });
}
