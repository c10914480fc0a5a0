// Which errors mean "the database is not reachable right now" rather than "this statement is wrong".
// The route wrapper answers those with 503 + Retry-After (lib/api/route.ts), the worker hands its jobs
// back for later, and readiness reports the database down. Drivers and drizzle wrap errors, so the
// whole `cause` chain is searched.

// postgres.js and Node socket codes for a connection that is gone, refused or never came up.
const CONNECTION_CODES = new Set([
  "CONNECTION_CLOSED",
  "CONNECTION_DESTROYED",
  "CONNECTION_ENDED",
  "CONNECT_TIMEOUT",
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
]);

// SQLSTATEs: class 08 (connection exception), 57P01-57P05 (administrator or crash shutdown, cannot
// connect now, database dropped, idle session timeout), 53300 (too many connections), 40P01 is not one
// (a deadlock is retried by the caller, not the operator).
function isUnavailableSqlState(code: string): boolean {
  return code.startsWith("08") || /^57P0[1-5]$/.test(code) || code === "53300";
}

// node-postgres (used by pg-boss) reports a dropped connection by message only.
const CONNECTION_MESSAGES = /Connection terminated|connection error and is not queryable|Client was closed|timeout exceeded when trying to connect/i;

export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e = error as { code?: unknown; message?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 6; e = e.cause as typeof e, depth++) {
    if (typeof e.code === "string" && (CONNECTION_CODES.has(e.code) || isUnavailableSqlState(e.code))) return true;
    if (typeof e.message === "string" && CONNECTION_MESSAGES.test(e.message)) return true;
  }
  return false;
}

/** Seconds a client should wait before retrying when the database is unreachable. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;
