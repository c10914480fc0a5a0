import "server-only";
import { z } from "zod";
import { AppError } from "@/lib/api/errors";
import { inviteUrl } from "./invitations";
import type { Credential } from "./service";

export const ADMIN = ["admin"] as const;

export function userIdParam(params: Record<string, string>, what = "user"): string {
  const parsed = z.uuid().safeParse(params.id);
  if (!parsed.success) throw new AppError("not_found", `No such ${what}.`);
  return parsed.data;
}

/** Adds the ready-to-send link to an invitation credential. */
export function withLink(credential: Credential, req: Request) {
  return credential.method === "invitation"
    ? { ...credential, url: inviteUrl(credential.token, new URL(req.url).origin) }
    : credential;
}
