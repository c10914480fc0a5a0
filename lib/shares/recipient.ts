import "server-only";
import { and, desc, eq, gt, isNotNull, isNull, sql } from "drizzle-orm";
import { AppError } from "@/lib/core/errors";
import type { Principal } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import { analyses, reviews, shares, type Share } from "@/lib/db/schema";
import { isUuid } from "@/lib/core/uuid-param";

// Patients with an account see the reports shared to their email address, and nothing else: every
// query here is keyed by the signed-in person's address, and another person's share is a 404.

export interface RecipientReport {
  shareId: string;
  analysisId: string;
  studyDate: string | null;
  sharedAt: string;
  expiresAt: string;
  signedOffAt: string | null;
}

const activeFor = (email: string) =>
  and(
    sql`lower(${shares.recipientEmail}) = ${email.toLowerCase()}`,
    isNull(shares.revokedAt),
    gt(shares.expiresAt, sql`now()`),
  );

/** Active shares addressed to this person, newest first, one per analysis (its latest share). */
export async function listReportsForRecipient(person: Principal): Promise<RecipientReport[]> {
  const rows = await db
    .select({
      share: shares,
      studyDate: analyses.studyDate,
      signedOffAt: sql<Date | null>`(select max(${reviews.signedOffAt}) from ${reviews} where ${reviews.analysisId} = ${analyses.id} and ${isNotNull(reviews.signedOffAt)})`,
    })
    .from(shares)
    .innerJoin(analyses, eq(analyses.id, shares.analysisId))
    .where(activeFor(person.email))
    .orderBy(desc(shares.createdAt));
  const seen = new Set<string>();
  const out: RecipientReport[] = [];
  for (const r of rows) {
    if (seen.has(r.share.analysisId)) continue;
    seen.add(r.share.analysisId);
    out.push({
      shareId: r.share.id,
      analysisId: r.share.analysisId,
      studyDate: r.studyDate,
      sharedAt: r.share.createdAt.toISOString(),
      expiresAt: r.share.expiresAt.toISOString(),
      signedOffAt: r.signedOffAt ? new Date(r.signedOffAt).toISOString() : null,
    });
  }
  return out;
}

/** The share if it is active and addressed to this person; otherwise 404, whoever's it is. */
export async function requireRecipientShare(person: Principal, shareId: string): Promise<Share> {
  if (!isUuid(shareId)) throw new AppError("not_found", "No such report.");
  const [share] = await db
    .select()
    .from(shares)
    .where(and(eq(shares.id, shareId), activeFor(person.email)))
    .limit(1);
  if (!share) throw new AppError("not_found", "No such report.");
  return share;
}
