import "server-only";
import type { OAuthConfig } from "next-auth/providers/oauth";
import type { TokenSet } from "openid-client";
import { env } from "@/lib/env";

/** What the provider hands to the sign-in callback: the subject, and every claim (id_token, then userinfo). */
export interface OidcProfile {
  id: string;
  email: string | null;
  name: string;
  claims: Record<string, unknown>;
}

export function oidcConfigured(): boolean {
  return Boolean(env.OIDC_ISSUER && env.OIDC_CLIENT_ID && env.OIDC_CLIENT_SECRET);
}

export function wellKnownUrl(issuer: string): string {
  return `${issuer.replace(/\/+$/, "")}/.well-known/openid-configuration`;
}

/**
 * next-auth's OpenID Connect provider `oidc` (callback /api/auth/callback/oidc): authorization code flow
 * with PKCE, state and nonce, endpoints from discovery. The id_token is verified by openid-client
 * (signature, issuer, audience = our client id, nonce, expiry) before anything here runs. The role claim
 * is read from the id_token; providers that put groups only in userinfo (the OpenID default for scope
 * claims) are asked there, with the subject checked to match.
 */
export function oidcProvider(): OAuthConfig<Record<string, unknown>> {
  const roleClaim = env.OIDC_ROLE_CLAIM;
  return {
    id: "oidc",
    name: env.OIDC_NAME,
    type: "oauth",
    wellKnown: wellKnownUrl(env.OIDC_ISSUER!),
    clientId: env.OIDC_CLIENT_ID,
    clientSecret: env.OIDC_CLIENT_SECRET,
    authorization: { params: { scope: env.OIDC_SCOPES } },
    idToken: true,
    checks: ["pkce", "state", "nonce"],
    userinfo: {
      async request(context) {
        // next-auth passes the TokenSet of the verified callback (typed only as its parameters).
        const tokens = context.tokens as TokenSet;
        const client = context.client;
        const claims = tokens.claims() as Record<string, unknown>;
        if (claims[roleClaim] !== undefined || !client.issuer.metadata.userinfo_endpoint) return claims;
        const info = (await client.userinfo(tokens)) as Record<string, unknown>;
        return { ...info, ...claims };
      },
    },
    profile(claims) {
      const email = typeof claims.email === "string" ? claims.email.toLowerCase() : null;
      const name = [claims.name, claims.preferred_username].find((v): v is string => typeof v === "string") ?? "";
      return { id: String(claims.sub), email, name, claims } satisfies OidcProfile;
    },
  };
}
