import "server-only";
import { AppError } from "@/lib/api/errors";
import { shareAccessFromCookieHeader } from "./access-cookie";
import { isUuid } from "./ids";
import { requireShareAccess } from "./resolve";

export function analysisIdFrom(params: Record<string, string>): string {
  if (!isUuid(params.id ?? "")) throw new AppError("not_found", "No such analysis.");
  return params.id;
}

/** For the public routes under /share/<token>/: the share, if the link works and is unlocked here. */
export function shareFromRequest(req: Request, params: Record<string, string>) {
  return requireShareAccess(params.token ?? "", shareAccessFromCookieHeader(req.headers.get("cookie")));
}
