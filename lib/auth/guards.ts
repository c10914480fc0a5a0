import "server-only";
import { cookies, headers } from "next/headers";
import { forbidden, redirect } from "next/navigation";
import type { Role } from "@/lib/core/roles";
import { TWO_FACTOR_PATH } from "./mfa/policy";
import { CHANGE_PASSWORD_PATH, mustChangePassword, mustEnrolSecondFactor, type Principal } from "./principal";
import { REQUEST_PATH_HEADER, withReturnPath } from "./return-path";
import { principalFromSessionToken, SESSION_COOKIES } from "./session";

/** The signed-in person for a server component, or null. */
export async function currentUser(): Promise<Principal | null> {
  const jar = await cookies();
  const token = SESSION_COOKIES.map((n) => jar.get(n)?.value).find(Boolean);
  return principalFromSessionToken(token);
}

/**
 * For the signed-in shell and the password page only: sends anonymous visitors to sign-in but lets
 * people who must still change their one-time password through.
 */
export async function requireSignedIn(): Promise<Principal> {
  const user = await currentUser();
  if (!user) redirect(withReturnPath("/sign-in", await requestedPath()));
  return user;
}

/** The page being rendered, as proxy.ts passes it on (null outside a proxied request). */
async function requestedPath(): Promise<string | null> {
  return (await headers()).get(REQUEST_PATH_HEADER);
}

/**
 * For pages: sends anonymous visitors to sign-in, people holding a one-time password to choose their
 * own first, people who must set up a second factor to do so, and shows 403 to people whose role does not fit.
 */
export async function requireUser(roles?: readonly Role[]): Promise<Principal> {
  const user = await requireSignedIn();
  if (mustChangePassword(user)) redirect(withReturnPath(CHANGE_PASSWORD_PATH, await requestedPath()));
  if (mustEnrolSecondFactor(user)) redirect(withReturnPath(TWO_FACTOR_PATH, await requestedPath()));
  if (roles && !roles.includes(user.role)) forbidden();
  return user;
}
