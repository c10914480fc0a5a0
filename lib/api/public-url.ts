import { env } from "@/lib/env";
import { AppError } from "@/lib/core/errors";

/**
 * The origin links sent to other people are built on (patient share links, invitations): PUBLIC_URL.
 * A request's Host header is whatever the client wrote, so a link built from it could point a patient
 * at another site; in production sharing is refused until PUBLIC_URL is set. In development and tests
 * the address the request was made to stands in.
 */
export function publicBaseUrl(req: Request): string {
  if (env.PUBLIC_URL) return env.PUBLIC_URL.replace(/\/+$/, "");
  if (env.NODE_ENV !== "production") return new URL(req.url).origin;
  throw new AppError(
    "service_unavailable",
    "Links for other people cannot be made yet: set PUBLIC_URL to the address they open this app at (e.g. https://cxr.example.org) and restart.",
    { subcode: "public_url_required" },
  );
}
