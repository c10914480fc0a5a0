import type { NextConfig } from "next";
import { NON_PAGE_POLICY } from "./lib/security/csp";

// Native and WASM-backed server libraries are loaded by Node at run time instead of being bundled:
// bundling would break their binary lookups (onnxruntime, sharp, argon2) and bloat the server build.
const nextConfig: NextConfig = {
  serverExternalPackages: [
    "onnxruntime-node",
    "sharp",
    "@node-rs/argon2",
    "@electric-sql/pglite",
    "pino",
    "dicom-parser",
    // PDFKit reads its standard font metrics from files beside its own code.
    "pdfkit",
  ],
  poweredByHeader: false,
  async headers() {
    return [
      // Every response: no framing by other sites (the review and sign-off screens must not be
      // clickjacked), no MIME sniffing, no referrer to other origins, no device APIs. HSTS is left to
      // the TLS-terminating proxy, which knows whether the site is served over HTTPS.
      {
        source: "/:path*",
        headers: [
          { key: "X-Frame-Options", value: "DENY" },
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "same-origin" },
          { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=(), usb=()" },
        ],
      },
      // Pages get a per-response policy with a script nonce from proxy.ts; everything it does not
      // handle (API answers, build assets) gets one under which nothing runs.
      ...["/api/:path*", "/_next/:path*", "/favicon.ico", "/screenshot.png"].map((source) => ({
        source,
        headers: [{ key: "Content-Security-Policy", value: NON_PAGE_POLICY }],
      })),
      // Patients' report links: the token in the URL is the credential, so no page under /share/ may
      // leak it through a Referer header, be indexed, or be kept in a shared cache. Listed after the rule
      // above so that its Referrer-Policy wins on these paths.
      {
        source: "/share/:path*",
        headers: [
          { key: "Referrer-Policy", value: "no-referrer" },
          { key: "X-Robots-Tag", value: "noindex, nofollow" },
          { key: "Cache-Control", value: "private, no-store" },
        ],
      },
    ];
  },
  typedRoutes: false,
  experimental: {
    serverActions: { bodySizeLimit: "60mb" },
    // forbidden() renders app/forbidden.tsx with HTTP 403 for signed-in users whose role does not fit.
    authInterrupts: true,
  },
};

export default nextConfig;
