import type { NextConfig } from "next";

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
  ],
  poweredByHeader: false,
  typedRoutes: false,
  experimental: {
    serverActions: { bodySizeLimit: "60mb" },
    // forbidden() renders app/forbidden.tsx with HTTP 403 for signed-in users whose role does not fit.
    authInterrupts: true,
  },
};

export default nextConfig;
