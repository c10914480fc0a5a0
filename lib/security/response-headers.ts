import { NON_PAGE_POLICY } from "./csp";

// Headers every response carries (next.config.ts sets them on what Next.js answers; lib/cli/serve.ts on
// the few answers it gives before Next.js): no framing by other sites (the review and sign-off screens
// must not be clickjacked), no MIME sniffing, no referrer to other origins, no device APIs. HSTS is
// left to the TLS-terminating proxy, which knows whether the site is served over HTTPS.
export const EVERY_RESPONSE_HEADERS = [
  { key: "X-Frame-Options", value: "DENY" },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "same-origin" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=(), usb=()" },
] as const;

/** Answers that are not pages (API answers, build assets): a policy under which nothing runs. */
export const NON_PAGE_HEADERS = [{ key: "Content-Security-Policy", value: NON_PAGE_POLICY }] as const;
