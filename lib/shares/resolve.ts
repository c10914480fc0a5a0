import "server-only";
import { eq } from "drizzle-orm";
import { AppError } from "@/lib/core/errors";
import { db } from "@/lib/db/client";
import { erasedShares, shares, type Share } from "@/lib/db/schema";
import { verifyShareAccess } from "./access-cookie";
import { hashShareToken, isWellFormedShareToken } from "./token";

export const SHARE_NOT_FOUND = "This link does not work. It may have been mistyped or withdrawn.";
export const SHARE_EXPIRED = "This link has expired.";
export const SHARE_ERASED = "This report has been deleted and is no longer available.";

/**
 * The share a link token names. Unknown and revoked links are the same 404 (a revoked link should not
 * confirm that a report existed); an expired one is 410 so the patient knows to ask for a new link, and
 * so is one whose report was erased (only the token's hash is remembered).
 */
export async function resolveShareToken(token: string, now = new Date()): Promise<Share> {
  if (!isWellFormedShareToken(token)) throw new AppError("not_found", SHARE_NOT_FOUND, { subcode: "share_not_found" });
  const tokenHash = hashShareToken(token);
  const [share] = await db.select().from(shares).where(eq(shares.tokenHash, tokenHash)).limit(1);
  if (!share) {
    const [erased] = await db.select({ at: erasedShares.erasedAt }).from(erasedShares).where(eq(erasedShares.tokenHash, tokenHash)).limit(1);
    if (erased) throw new AppError("gone", SHARE_ERASED, { subcode: "share_erased" });
  }
  if (!share || share.revokedAt) throw new AppError("not_found", SHARE_NOT_FOUND, { subcode: "share_not_found" });
  if (share.expiresAt.getTime() <= now.getTime()) throw new AppError("gone", SHARE_EXPIRED, { subcode: "share_expired" });
  return share;
}

/** Whether this browser may read the share: no code needed, or a valid access cookie for it. */
export function hasShareAccess(share: Share, accessCookie: string | undefined): boolean {
  return share.accessCodeHash === null || verifyShareAccess(accessCookie, share.id);
}

/** For routes behind the link (image, heatmaps, PDF): a valid, unlocked share or the matching error. */
export async function requireShareAccess(token: string, accessCookie: string | undefined): Promise<Share> {
  const share = await resolveShareToken(token);
  if (!hasShareAccess(share, accessCookie)) {
    throw new AppError("forbidden", "Enter the access code on the report page first.", { subcode: "access_code_required" });
  }
  return share;
}
