import "server-only";
import { publicBaseUrl } from "@/lib/api/public-url";
import type { CredentialMethod } from "./input";
import { inviteUrl } from "./invitations";
import type { Credential } from "./service";

/**
 * What adds the ready-to-send link to an invitation credential, made before the account (or its reset)
 * is: when no link can be made (no PUBLIC_URL in production) the request is refused with nothing
 * created, instead of leaving an invited account nobody can reach.
 */
export function invitationLinker(req: Request, method: CredentialMethod | "sso"): (credential: Credential) => Credential | (Credential & { url: string }) {
  const base = method === "invitation" ? publicBaseUrl(req) : null;
  return (credential) => (credential.method === "invitation" ? { ...credential, url: inviteUrl(credential.token, base ?? publicBaseUrl(req)) } : credential);
}
