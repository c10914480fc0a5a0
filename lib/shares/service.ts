// Share links for signed-off analyses: create (token shown once, hash stored), list, revoke. Every
// step is audited with the share's id; the token and the access code never reach the log or the DB.
import "server-only";
import { and, desc, eq, gt, isNotNull, isNull, sql } from "drizzle-orm";
import { AppError } from "@/lib/core/errors";
import { recordAudit } from "@/lib/audit/record";
import { hashPassword } from "@/lib/auth/passwords";
import type { Principal } from "@/lib/auth/principal";
import { isStaff } from "@/lib/core/roles";
import { db } from "@/lib/db/client";
import { analyses, reviews, shares, users, type Share } from "@/lib/db/schema";
import { env } from "@/lib/env";
import { isUuid } from "@/lib/core/uuid-param";
import { CreateShareInput, type CreatedShare, type ShareView } from "./input";
import { generateShareToken, hashShareToken, sharePath } from "./token";

const DAY_MS = 86_400_000;

function requireStaff(actor: Principal) {
  if (!isStaff(actor)) throw new AppError("forbidden", "Only radiologists and admins can share reports.");
}

export function toShareView(share: Share, createdBy: string): ShareView {
  return {
    id: share.id,
    analysisId: share.analysisId,
    createdAt: share.createdAt.toISOString(),
    expiresAt: share.expiresAt.toISOString(),
    hasAccessCode: share.accessCodeHash !== null,
    recipientEmail: share.recipientEmail,
    createdBy,
  };
}

/** True when the analysis has at least one signed-off review version (amendments keep it so). */
export async function isSignedOff(analysisId: string): Promise<boolean> {
  if (!isUuid(analysisId)) return false;
  const [row] = await db
    .select({ id: reviews.id })
    .from(reviews)
    .where(and(eq(reviews.analysisId, analysisId), isNotNull(reviews.signedOffAt)))
    .limit(1);
  return Boolean(row);
}

async function requireAnalysis(analysisId: string) {
  if (!isUuid(analysisId)) throw new AppError("not_found", "No such analysis.");
  const [row] = await db.select({ id: analyses.id }).from(analyses).where(eq(analyses.id, analysisId)).limit(1);
  if (!row) throw new AppError("not_found", "No such analysis.");
}

interface CreateArgs {
  actor: Principal;
  analysisId: string;
  input: CreateShareInput;
  /** Origin the link is built on, e.g. "https://cxr.example.org". */
  baseUrl: string;
  headers?: Headers;
}

export async function createShare({ actor, analysisId, input, baseUrl, headers }: CreateArgs): Promise<CreatedShare> {
  requireStaff(actor);
  const parsed = CreateShareInput.parse(input);
  await requireAnalysis(analysisId);
  // A patient must only ever read what a radiologist has signed: the AI's scores alone are not a report.
  if (!(await isSignedOff(analysisId))) {
    throw new AppError("conflict", "Sign off the review before sharing this report.", { subcode: "not_signed_off" });
  }
  const days = parsed.expiresInDays ?? env.SHARE_LINK_DAYS;
  const token = generateShareToken();
  const [share] = await db
    .insert(shares)
    .values({
      analysisId,
      tokenHash: hashShareToken(token),
      accessCodeHash: parsed.accessCode ? await hashPassword(parsed.accessCode) : null,
      recipientEmail: parsed.recipientEmail ?? null,
      createdBy: actor.userId,
      expiresAt: new Date(Date.now() + days * DAY_MS),
    })
    .returning();
  await recordAudit({
    actor,
    action: "share.create",
    targetType: "share",
    targetId: share.id,
    // The recipient's address is personal data: the log keeps only whether there is one.
    details: { analysisId, expiresInDays: days, accessCode: Boolean(parsed.accessCode), recipient: Boolean(parsed.recipientEmail) },
    headers,
  });
  return { share: toShareView(share, actor.name || actor.email), url: new URL(sharePath(token), baseUrl).toString() };
}

/** Shares of an analysis that still work: not revoked, not expired. Newest first. */
export async function listActiveShares(actor: Principal, analysisId: string): Promise<ShareView[]> {
  requireStaff(actor);
  await requireAnalysis(analysisId);
  const rows = await db
    .select({ share: shares, name: users.name, email: users.email })
    .from(shares)
    .innerJoin(users, eq(users.id, shares.createdBy))
    .where(and(eq(shares.analysisId, analysisId), isNull(shares.revokedAt), gt(shares.expiresAt, sql`now()`)))
    .orderBy(desc(shares.createdAt));
  return rows.map((r) => toShareView(r.share, r.name || r.email));
}

/** Revokes a share; revoking one that is already revoked is a no-op, an unknown id is a 404. */
export async function revokeShare({ actor, shareId, headers }: { actor: Principal; shareId: string; headers?: Headers }) {
  requireStaff(actor);
  if (!isUuid(shareId)) throw new AppError("not_found", "No such share.");
  const [updated] = await db
    .update(shares)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(shares.id, shareId), isNull(shares.revokedAt)))
    .returning({ id: shares.id, analysisId: shares.analysisId });
  if (!updated) {
    const [existing] = await db.select({ id: shares.id }).from(shares).where(eq(shares.id, shareId)).limit(1);
    if (!existing) throw new AppError("not_found", "No such share.");
    return;
  }
  await recordAudit({
    actor,
    action: "share.revoke",
    targetType: "share",
    targetId: shareId,
    details: { analysisId: updated.analysisId },
    headers,
  });
}
