import "server-only";
import { AppError } from "@/lib/core/errors";
import { requestIp } from "@/lib/core/client-ip";
import { recordAudit } from "@/lib/audit/record";
import { verifyPassword } from "@/lib/auth/passwords";
import { AttemptLimiter } from "@/lib/auth/attempt-limiter";
import { signShareAccess } from "./access-cookie";
import { resolveShareToken } from "./resolve";

// Wrong access codes: 5 per share and address in 15 minutes, and 20 per share from all addresses
// together, so rotating addresses cannot turn the limit into a brute-force rate. (The address is the
// one lib/api/client-ip trusts, not whatever X-Forwarded-For a client claims.) Counted in PostgreSQL,
// so a restart forgives nothing. The price is that an attacker can lock a link for 15 minutes; it
// never unlocks it.
export const ACCESS_CODE_WINDOW_MS = 15 * 60_000;
export const ACCESS_CODE_MAX_PER_ADDRESS = 5;
export const ACCESS_CODE_MAX_PER_SHARE = 20;

const limits = {
  address: new AttemptLimiter("share_code.address", ACCESS_CODE_MAX_PER_ADDRESS, ACCESS_CODE_WINDOW_MS),
  share: new AttemptLimiter("share_code.share", ACCESS_CODE_MAX_PER_SHARE, ACCESS_CODE_WINDOW_MS),
};

interface UnlockArgs {
  token: string;
  code: string;
  headers?: Headers;
}

/**
 * Codes are stored lower-cased (lib/shares/input.ts), so a code read out over the phone or typed with
 * caps lock still opens the report. Codes stored before that normalisation are checked as typed too.
 */
async function codeMatches(hash: string, typed: string): Promise<boolean> {
  const code = typed.trim();
  if (await verifyPassword(hash, code.toLowerCase())) return true;
  return code !== code.toLowerCase() && verifyPassword(hash, code);
}

/** Checks an access code; on success returns the signed cookie value that unlocks this share. */
export async function unlockShare({ token, code, headers }: UnlockArgs): Promise<{ shareId: string; value: string; maxAge: number }> {
  const share = await resolveShareToken(token);
  if (!share.accessCodeHash) return { shareId: share.id, ...signShareAccess(share.id, share.expiresAt) };

  const addressKey = `${share.id}|${headers ? requestIp(headers) : "unknown"}`;
  // Both slots are taken before the (slow) code check; a refusal by one gives the other back.
  const shareWide = await limits.share.attempt(share.id);
  const byAddress = shareWide.allowed ? await limits.address.attempt(addressKey) : shareWide;
  if (!byAddress.allowed) {
    if (shareWide.allowed) await limits.share.release(share.id, shareWide.at);
    await recordAudit({ actor: null, action: "share.access_code_rate_limited", targetType: "share", targetId: share.id, headers });
    throw new AppError("rate_limited", "Too many wrong access codes. Please wait and try again later.", {
      retryAfterSeconds: byAddress.retryAfterMs / 1000,
      subcode: "access_code_rate_limited",
    });
  }

  if (!(await codeMatches(share.accessCodeHash, code))) {
    await recordAudit({
      actor: null,
      action: "share.access_code_failed",
      targetType: "share",
      targetId: share.id,
      details: { attemptsLeft: byAddress.remaining },
      headers,
    });
    throw new AppError("forbidden", "That access code is not right. Check it and try again.", {
      subcode: "wrong_access_code",
      detail: { attemptsLeft: byAddress.remaining },
    });
  }
  await limits.address.clear(addressKey);
  await recordAudit({ actor: null, action: "share.unlock", targetType: "share", targetId: share.id, headers });
  return { shareId: share.id, ...signShareAccess(share.id, share.expiresAt) };
}
