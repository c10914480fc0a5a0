import { defineRoute } from "@/lib/api/route";
import { startEnrolment } from "@/lib/sign-in/mfa/second-factor";

/** Starts setting up a second factor: a new TOTP key (shown once, as a QR code and as text), not yet in force. */
export const POST = defineRoute({ auth: "session", allowPendingSecondFactor: true, rateLimited: true }, async ({ principal }) =>
  Response.json(await startEnrolment(principal), { headers: { "cache-control": "no-store" } }),
);
