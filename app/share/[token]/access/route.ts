import { defineRoute } from "@/lib/api/route";
import { shareAccessSetCookie } from "@/lib/shares/access-cookie";
import { AccessCodeInput } from "@/lib/shares/input";
import { unlockShare } from "@/lib/shares/unlock";

/** Checks a share's access code; a right one sets a cookie for this link only. Wrong ones are limited. */
export const POST = defineRoute(
  { auth: "public", rateLimited: true, body: AccessCodeInput },
  async ({ req, params, body }) => {
    const token = params.token ?? "";
    const unlocked = await unlockShare({ token, code: body.code, headers: req.headers });
    return new Response(null, {
      status: 204,
      headers: { "set-cookie": shareAccessSetCookie(token, unlocked), "cache-control": "no-store", "referrer-policy": "no-referrer" },
    });
  },
);
