import type { NextConfig } from "next";
import { EVERY_RESPONSE_HEADERS, NON_PAGE_HEADERS } from "./lib/security/response-headers";

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
      // Every response (lib/security/response-headers.ts).
      { source: "/:path*", headers: [...EVERY_RESPONSE_HEADERS] },
      // Pages get a per-response policy with a script nonce from proxy.ts; everything it does not
      // handle (API answers, build assets) gets one under which nothing runs.
      ...["/api/:path*", "/_next/:path*", "/favicon.ico", "/screenshot.png"].map((source) => ({ source, headers: [...NON_PAGE_HEADERS] })),
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
