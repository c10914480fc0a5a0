import { defineRoute } from "@/lib/api/route";
import { publicBaseUrl } from "@/lib/api/public-url";
import { providerSignOutUrl } from "@/lib/sign-in/oidc/logout";

/**
 * Asked by the sign-out button before it ends the app's session: where to send the browser afterwards
 * so that the identity provider's session ends too (null for local accounts, or a provider without
 * RP-initiated logout). Open to sessions that still owe a password change or a second factor.
 */
export const POST = defineRoute(
  { auth: "session", allowPendingPasswordChange: true, allowPendingSecondFactor: true },
  async ({ principal, req }) => ({
    providerUrl: await providerSignOutUrl(principal.kind === "user" ? principal.sessionId : undefined, `${publicBaseUrl(req)}/sign-in`),
  }),
);
