import type { IncomingMessage, ServerResponse } from "node:http";
import { earlyPollRefusalFor } from "@/lib/api/v1/poll-gate";
import { PROBLEM_CACHE_CONTROL, problemFor } from "@/lib/core/errors";
import { EVERY_RESPONSE_HEADERS, NON_PAGE_HEADERS } from "@/lib/security/response-headers";

// What the app's server (./serve.ts) answers before Next.js sees the request: a poll of an analysis
// sooner than its Retry-After said (lib/api/v1/poll-gate.ts), decided from memory. A burst of clients
// polling every 500 ms sends such polls by the thousand, and routing each through Next.js cost several
// times what the refusal needs. The answer is the one the route handler would give.

/** Answers `req` and returns true when it is a poll that came too soon; false leaves it to Next.js. */
export function answeredBeforeNext(req: IncomingMessage, res: ServerResponse): boolean {
  const refusal = earlyPollRefusalFor(req.method, req.url, req.headers);
  if (!refusal) return false;
  for (const { key, value } of [...EVERY_RESPONSE_HEADERS, ...NON_PAGE_HEADERS]) res.setHeader(key, value);
  res.writeHead(refusal.status, {
    "content-type": "application/problem+json",
    "cache-control": PROBLEM_CACHE_CONTROL,
    "retry-after": String(refusal.extra.retryAfterSeconds),
  });
  res.end(JSON.stringify(problemFor(refusal, req.url?.split("?")[0])));
  return true;
}
