import "server-only";
import type { NextAuthOptions } from "next-auth";
import { headers as requestHeaders } from "next/headers";
import CredentialsProvider from "next-auth/providers/credentials";
import { env } from "@/lib/env";
import { logger } from "@/lib/log";
import { callbackDestination } from "@/lib/auth/return-path";
import { authSecret } from "@/lib/auth/secret";
import { newSessionClaims, principalFromSessionClaims, revokeSession } from "@/lib/auth/session";
import { rememberIdToken } from "./oidc/logout";
import { oidcConfigured, oidcProvider, type OidcProfile } from "./oidc/provider";
import { resolveOidcSignIn } from "./oidc/sign-in";
import { authorizeCredentials, type SignedInUser } from "./sign-in";

/** The request's headers inside next-auth's callbacks (for the audit's address), or none outside a request. */
async function currentHeaders(): Promise<Headers> {
  try {
    return new Headers(await requestHeaders());
  } catch {
    return new Headers();
  }
}

/** The account a single sign-on resolved to, handed from the signIn callback to the jwt callback. */
type OidcUser = OidcProfile & { appUser?: SignedInUser };

function headersOf(req: { headers?: Record<string, unknown> } | undefined): Headers {
  const h = new Headers();
  for (const [k, v] of Object.entries(req?.headers ?? {})) if (typeof v === "string") h.set(k, v);
  return h;
}

export const authOptions: NextAuthOptions = {
  secret: authSecret(),
  session: { strategy: "jwt", maxAge: env.SESSION_MAX_AGE_HOURS * 3600 },
  // Errors of the single sign-on round trip (state, nonce or id_token refused, provider unreachable) come
  // back to the sign-in page as ?error=, which says what happened.
  pages: { signIn: "/sign-in", error: "/sign-in" },
  useSecureCookies: env.SECURE_COOKIES || undefined,
  // next-auth logs to the console by default; "JWT_SESSION_ERROR" is the expected answer to an ended or
  // garbled session, not an error worth a stack trace.
  logger: {
    error: (code) => (code === "JWT_SESSION_ERROR" ? logger.debug({ code }, "session refused") : logger.error({ code }, "next-auth error")),
    warn: (code) => logger.warn({ code }, "next-auth warning"),
    debug: () => undefined,
  },
  events: {
    signOut: ({ token }) => revokeSession(token),
  },
  providers: [
    CredentialsProvider({
      name: "Email and password",
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      // Checks, throttling and auditing live in ./sign-in.ts; this adapts next-auth's request to it.
      authorize: (raw, req) => authorizeCredentials(raw, headersOf(req as { headers?: Record<string, unknown> })),
    }),
    ...(oidcConfigured() ? [oidcProvider()] : []),
  ],
  callbacks: {
    // Where next-auth sends someone after signing in or out: its callbackUrl comes from the query, a form
    // field or a cookie, so it goes through the app's one return-path check (malformed: the home page).
    redirect: ({ url, baseUrl }) => callbackDestination(url, baseUrl),
    async signIn({ user, account }) {
      if (account?.provider !== "oidc") return true;
      const resolved = await resolveOidcSignIn(user as unknown as OidcProfile, await currentHeaders());
      if (!resolved.ok) return `/sign-in/refused?reason=${resolved.reason}`;
      (user as unknown as OidcUser).appUser = resolved.user;
      return true;
    },
    async jwt({ token, user, account }) {
      if (user && account?.provider === "oidc") {
        const app = (user as unknown as OidcUser).appUser;
        if (!app) throw new Error("single sign-on without an account");
        const claims = newSessionClaims({ id: app.id, sv: app.sv, sso: true });
        if (account.id_token) {
          await rememberIdToken({ sessionId: claims.sid, userId: app.id, idToken: account.id_token, expiresAt: new Date(claims.ssoUntil!) });
        }
        // Only what the app needs: the provider's subject and tokens stay out of the cookie.
        return { name: app.name, email: app.email, sub: app.id, ...claims, role: app.role };
      }
      if (user) {
        const u = user as unknown as { id: string; role: string; sv: number };
        return { ...token, ...newSessionClaims(u), role: u.role };
      }
      // Every later use of the token (/api/auth/session, getServerSession) checks it is still good:
      // signed out, password changed, disabled. Throwing makes next-auth answer with no session and
      // clear the cookie.
      const principal = await principalFromSessionClaims(token);
      if (!principal) throw new Error("session ended");
      return { ...token, role: principal.role };
    },
    async session({ session, token }) {
      return {
        ...session,
        user: { ...session.user, id: token.uid as string, role: token.role as string },
      };
    },
  },
};
