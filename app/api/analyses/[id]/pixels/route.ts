import { getVisibleImageSha } from "@/lib/analyses/queries";
import { defineRoute } from "@/lib/api/route";
import { STAFF_ROLES } from "@/lib/core/roles";
import { PIXEL_HEADER } from "@/lib/viewer/pixel-header";
import { pixelStreamFor } from "@/lib/viewer/pixel-stream";

/**
 * Stored pixel values of a film with more than 8 bits, for window/level in the viewer (format in
 * lib/viewer/pixel-header.ts). 204 when the 8-bit display rendering already holds everything.
 */
export const GET = defineRoute({ auth: "session", roles: STAFF_ROLES }, async ({ principal, params }) => {
  const sha = await getVisibleImageSha(principal, params.id);
  const stream = await pixelStreamFor(sha);
  if (!stream) return new Response(null, { status: 204, headers: { "cache-control": "private, max-age=3600" } });
  return new Response(stream.gz as Uint8Array<ArrayBuffer>, {
    headers: {
      "content-type": "application/octet-stream",
      [PIXEL_HEADER]: JSON.stringify(stream.header),
      "cache-control": "private, max-age=3600",
    },
  });
});
