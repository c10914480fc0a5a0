import type { Role } from "@/lib/core/roles";

export type MfaRequirement = "admins" | "all" | "off";

/**
 * Whether a local account must enrol a second factor before it may do anything but enrol: admins (who
 * mint API keys and read the audit log) by default, everyone when the site says so. Accounts that sign
 * in through the identity provider get their second factor there.
 */
export function secondFactorRequired(
  user: { role: Role; authMethod: "password" | "oidc"; totpConfirmedAt: Date | null },
  requirement: MfaRequirement,
): boolean {
  if (user.authMethod !== "password" || user.totpConfirmedAt) return false;
  return requirement === "all" || (requirement === "admins" && user.role === "admin");
}

/** Where a person who must still enrol a second factor is sent. */
export const TWO_FACTOR_PATH = "/account/two-factor";
