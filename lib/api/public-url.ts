import { env } from "@/lib/env";
import { AppError } from "@/lib/core/errors";

/**
 * The origin links sent to other people are built on (patient share links, invitations): PUBLIC_URL.
 * A request's Host header is whatever the client wrote, so a link built from it could point a patient
 * at another site; in production the address `npm start` serves on this machine stands in when it was
 * derived from a loopback listen address (LOCAL_URL), and sharing is refused otherwise until PUBLIC_URL
 * is set. In development and tests the address the request was made to stands in.
 */
export function publicBaseUrl(req: Request): string {
  const setting = publicUrlSetting();
  if (setting.url) return setting.url;
  if (env.NODE_ENV !== "production") return new URL(req.url).origin;
  throw new AppError(
    "service_unavailable",
    "Links for other people cannot be made yet: set PUBLIC_URL to the address they open this app at (e.g. https://cxr.example.org) and restart.",
    { subcode: "public_url_required" },
  );
}

/** Where links for other people point, and why (for the System page). */
export function publicUrlSetting(): { url: string | null; source: "PUBLIC_URL" | "listen address" | "each request (development)" | "not set" } {
  if (env.PUBLIC_URL) return { url: env.PUBLIC_URL.replace(/\/+$/, ""), source: "PUBLIC_URL" };
  if (env.LOCAL_URL) return { url: env.LOCAL_URL.replace(/\/+$/, ""), source: "listen address" };
  return { url: null, source: env.NODE_ENV === "production" ? "not set" : "each request (development)" };
}
