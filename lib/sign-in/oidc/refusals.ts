// Why single sign-on turned someone away, for the refusal page (/sign-in/refused?reason=...). Pure data:
// the page and the server share it.

export const SSO_REFUSALS = {
  no_role: "Your account at the identity provider is not in any group that gives access to CXR Assist. Ask your IT service desk to add you to the right group, then sign in again.",
  not_provisioned: "This service only admits accounts an administrator has set up for single sign-on, and yours has not been. Ask an administrator of CXR Assist to add you.",
  email_in_use: "An account with your email address already exists here and signs in another way. Ask an administrator of CXR Assist to switch it to single sign-on.",
  no_email: "The identity provider did not send your email address, which a new account needs. Ask your IT service desk to release the email claim to CXR Assist.",
  disabled: "Your account here is disabled. Ask an administrator of CXR Assist.",
} as const;

export type SsoRefusal = keyof typeof SSO_REFUSALS;

export function ssoRefusalMessage(reason: string | null | undefined): string {
  return (SSO_REFUSALS as Record<string, string>)[reason ?? ""] ?? "Single sign-on did not let you in.";
}

/** next-auth's ?error= codes after a single sign-on round trip that did not complete. */
export function ssoErrorMessage(code: string | null | undefined): string | null {
  if (!code) return null;
  if (code === "SessionRequired") return null;
  return "Single sign-on did not complete: the identity provider's answer was refused (it could not be verified, or it was not for this sign-in) or the provider could not be reached. Please try again.";
}
