import type { Role } from "@/lib/core/roles";

// `identifiers:read`: the key may receive patient names and IDs (the DICOM SR and SC downloads carry the
// original file's Patient module); no other API answer holds them (docs/security.md).
export const apiScopes = ["analyses:read", "analyses:write", "reports:read", "identifiers:read"] as const;
export type ApiScope = (typeof apiScopes)[number];

/** Who is asking: a signed-in person, or a machine holding an API key on behalf of its owner. */
export type Principal =
  | {
      kind: "user";
      userId: string;
      email: string;
      name: string;
      role: Role;
      mustChangePassword?: boolean;
      /** A local account that must set up its second factor before anything else (lib/auth/mfa/policy.ts). */
      mustEnrolSecondFactor?: boolean;
      /** The session's id (sessions only): to find what belongs to this session, e.g. its id_token at sign-out. */
      sessionId?: string;
    }
  | {
      kind: "apiKey";
      keyId: string;
      userId: string;
      email: string;
      name: string;
      role: Role;
      scopes: ApiScope[];
      /** Set by an admin on the key; null: the server's RATE_LIMIT_PER_KEY. */
      rateLimitPerMinute: number | null;
    };

/** The principal of a user row, for audit records of things a person did before a session existed. */
export function userPrincipal(user: { id: string; email: string; name: string; role: Role }): Principal {
  return { kind: "user", userId: user.id, email: user.email, name: user.name, role: user.role };
}

/** Where a person who still holds a one-time password is sent to choose their own. */
export const CHANGE_PASSWORD_PATH = "/account/password";

/**
 * Someone signed in with a one-time password (admin reset, first admin from `npm run setup`) may only
 * change it or sign out until they have. API keys are not held back: a key was issued deliberately
 * and is not the one-time password.
 */
export function mustChangePassword(p: Principal | null | undefined): boolean {
  return p?.kind === "user" && p.mustChangePassword === true;
}

/** Someone who must set up a second factor first (MFA_REQUIRED) may only do that or sign out. */
export function mustEnrolSecondFactor(p: Principal | null | undefined): boolean {
  return p?.kind === "user" && p.mustEnrolSecondFactor === true;
}
