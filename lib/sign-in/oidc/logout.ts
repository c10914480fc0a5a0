import "server-only";
import { eq, lt } from "drizzle-orm";
import { z } from "zod";
import { db } from "@/lib/db/client";
import { oidcSessions } from "@/lib/db/schema";
import { env } from "@/lib/env";
import { errorSummary, logger } from "@/lib/log";
import { oidcConfigured, wellKnownUrl } from "./provider";

// RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0): at sign-out the browser is sent to the
// provider's end_session_endpoint with the session's id_token as id_token_hint, so that the provider's
// session ends too and the provider sends the person back to our sign-in page. The id_token is kept
// server-side per session (the session cookie stays small), and deleted at sign-out (lib/auth/session.ts).

/** Keeps a new single sign-on session's id_token until the session would end anyway. */
export async function rememberIdToken(input: { sessionId: string; userId: string; idToken: string; expiresAt: Date }): Promise<void> {
  await db.delete(oidcSessions).where(lt(oidcSessions.expiresAt, new Date()));
  await db.insert(oidcSessions).values(input).onConflictDoNothing();
}

const Discovery = z.object({ end_session_endpoint: z.string().url().optional() });
let cached: { at: number; endpoint: string | null } | undefined;

async function endSessionEndpoint(): Promise<string | null> {
  if (cached && Date.now() - cached.at < 10 * 60_000) return cached.endpoint;
  const res = await fetch(wellKnownUrl(env.OIDC_ISSUER!), { signal: AbortSignal.timeout(5000) });
  if (!res.ok) throw new Error(`discovery answered ${res.status}`);
  const endpoint = Discovery.parse(await res.json()).end_session_endpoint ?? null;
  cached = { at: Date.now(), endpoint };
  return endpoint;
}

/**
 * Where to send the browser after the app's own sign-out so that the provider signs the person out too,
 * or null (a local session, a provider without end_session_endpoint, or the provider unreachable: the
 * app's session still ends, and the log says why the provider's could not).
 */
export async function providerSignOutUrl(sessionId: string | undefined, postLogoutRedirect: string): Promise<string | null> {
  if (!sessionId || !oidcConfigured()) return null;
  const [row] = await db.select().from(oidcSessions).where(eq(oidcSessions.sessionId, sessionId)).limit(1);
  if (!row) return null;
  try {
    const endpoint = await endSessionEndpoint();
    if (!endpoint) return null;
    const url = new URL(endpoint);
    url.searchParams.set("id_token_hint", row.idToken);
    url.searchParams.set("post_logout_redirect_uri", postLogoutRedirect);
    url.searchParams.set("client_id", env.OIDC_CLIENT_ID!);
    return url.toString();
  } catch (error) {
    logger.warn({ err: errorSummary(error) }, "the identity provider's sign-out endpoint could not be read");
    return null;
  }
}
