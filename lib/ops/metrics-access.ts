import "server-only";
import crypto from "node:crypto";
import { AppError } from "@/lib/core/errors";
import { refusePendingPasswordChange, refusePendingSecondFactor } from "@/lib/api/route";
import { isAdmin } from "@/lib/core/roles";
import { principalFromSessionToken, sessionTokenFromCookieHeader } from "@/lib/auth/session";
import { env } from "@/lib/env";

function sameSecret(a: string, b: string): boolean {
  const ha = crypto.createHash("sha256").update(a).digest();
  const hb = crypto.createHash("sha256").update(b).digest();
  return crypto.timingSafeEqual(ha, hb);
}

/**
 * /api/metrics is readable by a scraper holding METRICS_TOKEN (`Authorization: Bearer <token>`) or by a
 * signed-in admin. Metrics reveal traffic and model details, not patient data, but are still not public.
 */
export async function assertMetricsAccess(req: Request): Promise<void> {
  const auth = req.headers.get("authorization");
  if (auth) {
    const token = /^Bearer\s+(.+)$/i.exec(auth.trim())?.[1];
    if (env.METRICS_TOKEN && token && sameSecret(token, env.METRICS_TOKEN)) return;
    throw new AppError("unauthorized", "The metrics token is not valid.");
  }
  const user = await principalFromSessionToken(sessionTokenFromCookieHeader(req.headers.get("cookie")));
  if (!user) {
    throw new AppError(
      "unauthorized",
      env.METRICS_TOKEN ? "Send 'Authorization: Bearer <METRICS_TOKEN>' or sign in as an admin." : "Sign in as an admin, or set METRICS_TOKEN for scrapers.",
    );
  }
  if (!isAdmin(user)) throw new AppError("forbidden", "Only admins can read the metrics.");
  refusePendingPasswordChange(user);
  refusePendingSecondFactor(user);
}
