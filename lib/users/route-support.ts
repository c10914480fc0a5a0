import "server-only";
import { inviteUrl } from "./invitations";
import type { Credential } from "./service";

/** Adds the ready-to-send link to an invitation credential. */
export function withLink(credential: Credential, req: Request) {
  return credential.method === "invitation"
    ? { ...credential, url: inviteUrl(credential.token, new URL(req.url).origin) }
    : credential;
}
