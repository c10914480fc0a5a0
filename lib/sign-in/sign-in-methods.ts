import "server-only";
import { env } from "@/lib/env";
import { oidcConfigured } from "./oidc/provider";

export interface SignInMethods {
  /** The identity provider's button label, when single sign-on is configured. */
  sso: { name: string } | null;
  /** Whether the password form is offered (always reachable at /sign-in?local=1 for the break-glass admin). */
  passwords: boolean;
}

export function signInMethods(): SignInMethods {
  return { sso: oidcConfigured() ? { name: env.OIDC_NAME } : null, passwords: env.LOCAL_PASSWORDS === "on" };
}
