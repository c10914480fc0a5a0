import type { Role } from "@/lib/core/roles";

// The app's role from the identity provider's claim (OIDC_ROLE_CLAIM, e.g. `groups` or `roles`), by
// OIDC_ROLE_MAP. Pure: read by the sign-in and by its tests.

const PRIVILEGE: Record<Role, number> = { admin: 3, radiologist: 2, patient: 1 };

/** The claim's values: a list, or one string (some providers send a single group as a string). */
export function claimValues(claims: Record<string, unknown>, claim: string): string[] {
  const raw = claims[claim];
  if (typeof raw === "string") return [raw];
  if (Array.isArray(raw)) return raw.filter((v): v is string => typeof v === "string");
  return [];
}

/**
 * The most privileged role any of the values maps to, or null. Keycloak sends group paths ("/cxr-admins")
 * when "full group path" is on: a value matches with or without its leading slash.
 */
export function roleFromClaims(claims: Record<string, unknown>, claim: string, map: ReadonlyMap<string, Role>): Role | null {
  let best: Role | null = null;
  for (const value of claimValues(claims, claim)) {
    const role = map.get(value) ?? map.get(value.replace(/^\//, ""));
    if (role && (!best || PRIVILEGE[role] > PRIVILEGE[best])) best = role;
  }
  return best;
}
