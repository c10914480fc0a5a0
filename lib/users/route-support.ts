import "server-only";
import { publicBaseUrl } from "@/lib/api/public-url";
import { inviteUrl } from "./invitations";
import type { Credential } from "./service";

/** Adds the ready-to-send link to an invitation credential. */
export function withLink(credential: Credential, req: Request) {
  return credential.method === "invitation"
    ? { ...credential, url: inviteUrl(credential.token, publicBaseUrl(req)) }
    : credential;
}
