// The Content-Security-Policy of every page. Scripts run only when they carry this response's nonce
// (Next.js adds it to its own inline bootstrap and chunk scripts, reading it from the request's policy
// header that proxy.ts sets) or were loaded by such a script ('strict-dynamic'): an injected
// <script> or event handler does not run. Pages must therefore render per request (app/layout.tsx).

/** A fresh, unguessable nonce for one response. */
export function newNonce(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(18))).toString("base64");
}

export function pagePolicy(nonce: string, { development = false } = {}): string {
  return [
    // React's development build evaluates code for its error overlays; production never needs eval.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${development ? " 'unsafe-eval'" : ""}`,
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "object-src 'none'",
  ].join("; ");
}

/** For responses that are not pages (API answers, files, build assets): no framing, no plugins. */
export const NON_PAGE_POLICY = "frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";
