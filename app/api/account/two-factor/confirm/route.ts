import { z } from "zod";
import { defineRoute } from "@/lib/api/route";
import { confirmEnrolment } from "@/lib/sign-in/mfa/second-factor";

const ConfirmInput = z.object({ code: z.string().trim().min(1, "Enter the 6-digit code.").max(20) });

/** Puts the pending second factor in force with a code from the app; answers with the ten recovery codes, shown once. */
export const POST = defineRoute(
  { auth: "session", allowPendingSecondFactor: true, rateLimited: true, body: ConfirmInput },
  async ({ principal, body, req }) =>
    Response.json({ recoveryCodes: await confirmEnrolment(principal, body.code, req.headers) }, { headers: { "cache-control": "no-store" } }),
);
