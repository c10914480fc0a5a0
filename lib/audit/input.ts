import { z } from "zod";
import { Uuid } from "@/lib/core/uuid-param";
import { boundedDay, boundedInstant, lineText } from "@/lib/core/bounded-input";

// Filters of the audit log page, its JSON route and its CSV export (all three read the same query string).

export const AuditFilters = z.object({
  /** Exact action ("user.create"), or a group ending in a dot ("user."). */
  action: z
    .string()
    .trim()
    .max(80)
    .regex(/^[a-z_.]*$/, "Actions are lowercase words separated by dots.")
    .optional()
    .transform((v) => v || undefined),
  actor: z.union([Uuid, z.literal("")]).optional().transform((v) => v || undefined),
  targetType: lineText().trim().max(40).optional().transform((v) => v || undefined),
  /** Calendar days or instants; `to` is inclusive of its whole day when given as a date. */
  from: z.union([boundedDay(), boundedInstant(), z.literal("")]).optional().transform((v) => v || undefined),
  to: z.union([boundedDay(), boundedInstant(), z.literal("")]).optional().transform((v) => v || undefined),
  /** Id of the last event of the previous page. */
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type AuditFilters = z.output<typeof AuditFilters>;

/** The filters without the paging fields (for export links and the CSV stream). */
export function withoutPaging(f: AuditFilters): Omit<AuditFilters, "limit" | "before"> {
  return { action: f.action, actor: f.actor, targetType: f.targetType, from: f.from, to: f.to };
}
