import { defineRoute } from "@/lib/api/route";
import { changeOwnPassword } from "@/lib/users/change-password";
import { ChangePasswordInput } from "@/lib/users/input";

/**
 * Any signed-in person changes their own password; rate-limited against guessing the current one. The
 * one API call open to someone who must still replace a one-time password, also before a required
 * second factor is set up (the password comes first: the set-up waits for it).
 */
export const POST = defineRoute(
  { auth: "session", allowPendingPasswordChange: true, allowPendingSecondFactor: true, body: ChangePasswordInput, rateLimited: true },
  async ({ body, principal, req }) => {
    await changeOwnPassword({ actor: principal, currentPassword: body.currentPassword, newPassword: body.newPassword, headers: req.headers });
    return { changed: true };
  },
);
