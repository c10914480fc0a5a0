// next-auth v4 hands an Error thrown by authorize() to the browser only as its message, through a URL
// (`error` in the signIn() result, `?error=` on a redirect). So authorize() throws short codes, and the
// sign-in form turns them into sentences here; both sides share this file (no server-only imports).

export const SIGN_IN_UNAVAILABLE = "unavailable";
/** The password was right and the account has a second factor: ask for its code. */
export const MFA_REQUIRED = "mfa_required";
export const MFA_INVALID = "mfa_invalid";

/** "Too many failed sign-ins" with the whole minutes left, rounded up (never 0). */
export function throttledSignInCode(retryAfterMs: number): string {
  return `throttled:${Math.max(1, Math.ceil(retryAfterMs / 60_000))}`;
}

export function signInErrorMessage(code: string | null | undefined): string {
  const throttled = /^throttled:(\d{1,5})$/.exec(code ?? "");
  if (throttled) {
    const minutes = Number(throttled[1]);
    return `Too many failed sign-ins. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`;
  }
  if (code === MFA_REQUIRED) return "Enter the 6-digit code from your authenticator app, or a recovery code.";
  if (code === MFA_INVALID) return "That code is not right, or it was used already. Wait for the next code, or use a recovery code.";
  if (code === SIGN_IN_UNAVAILABLE) return "Signing in is not possible right now. Please try again in a moment.";
  return "The email or password is not right, or the account is disabled.";
}
