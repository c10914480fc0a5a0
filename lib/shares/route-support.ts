import "server-only";
import { shareAccessFromCookieHeader } from "./access-cookie";
import { requireShareAccess } from "./resolve";

/** For the public routes under /share/<token>/: the share, if the link works and is unlocked here. */
export function shareFromRequest(req: Request, params: Record<string, string>) {
  return requireShareAccess(params.token ?? "", shareAccessFromCookieHeader(req.headers.get("cookie")));
}
