import "server-only";
import { and, exists, gt, isNull, sql, type SQL } from "drizzle-orm";
import type { Principal } from "@/lib/auth/principal";
import { isStaff } from "@/lib/core/roles";
import { db } from "@/lib/db/client";
import { analyses, shares } from "@/lib/db/schema";

// Who may see which analysis, as one SQL condition every analysis query adds to its WHERE:
//   - admins and radiologists: the team's analyses (all of them);
//   - patients: only analyses with an active share (not revoked, not expired) addressed to their email;
//   - anyone else: nothing.
// A record outside the condition is simply not found, so a 404 never confirms that it exists.

const NOTHING = sql`false`;

export function visibleAnalyses(actor: Principal | null): SQL | undefined {
  if (!actor) return NOTHING;
  if (isStaff(actor)) return undefined;
  if (actor.role !== "patient") return NOTHING;
  return exists(
    db
      .select({ one: sql`1` })
      .from(shares)
      .where(
        and(
          sql`${shares.analysisId} = ${analyses.id}`,
          sql`lower(${shares.recipientEmail}) = ${actor.email.toLowerCase()}`,
          isNull(shares.revokedAt),
          gt(shares.expiresAt, sql`now()`),
        ),
      ),
  );
}
