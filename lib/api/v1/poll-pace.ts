import "server-only";
import { hashApiKey } from "@/lib/api-keys/keys";
import { AppError } from "@/lib/core/errors";
import { countRateLimited } from "@/lib/metrics";

// Clients that poll an unfinished analysis faster than its Retry-After said. After a status answer of
// `queued` or `processing` with Retry-After R, the same credential asking for the same analysis within
// R seconds (less a little slack for clock and network) is answered 429 with the time left, from memory:
// no authentication lookup, no rate-limit row, no database read. A client that follows Retry-After is
// never refused; one polling every 500 ms regardless costs the server next to nothing between its
// allowed reads, so the workers keep their pace. Per process, bounded, swept as it goes.

const SLACK_MS = 250;
const MAX_ENTRIES = 100_000;

const state = globalThis as unknown as { cxrPollPace?: Map<string, number> };
const notBefore = (state.cxrPollPace ??= new Map());

/** The credential presented (a bearer API key, hashed), or null: only API clients are paced here. */
function credential(req: Request): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.get("authorization") ?? "");
  return match ? hashApiKey(match[1]) : null;
}

function sweep(now: number): void {
  for (const [k, until] of notBefore) if (until <= now) notBefore.delete(k);
  // Still full of live entries (a flood of distinct ids): forget the oldest inserted.
  for (const k of notBefore.keys()) {
    if (notBefore.size < MAX_ENTRIES) break;
    notBefore.delete(k);
  }
}

/** Throws 429 with Retry-After when this credential was told to wait longer before asking about `id`. */
export function refuseEarlyPoll(req: Request, id: string, now = Date.now()): void {
  const who = credential(req);
  if (!who) return;
  const until = notBefore.get(`${who}:${id}`);
  if (until === undefined || until <= now) return;
  countRateLimited("key");
  const seconds = Math.max(1, Math.ceil((until + SLACK_MS - now) / 1000));
  throw new AppError("rate_limited", `This analysis is not finished; you were asked to check again after Retry-After. Retry in ${seconds} s.`, {
    retryAfterSeconds: seconds,
    subcode: "poll_too_soon",
  });
}

/** Remembers that this credential was told to come back for `id` in `seconds`. */
export function notePollAnswer(req: Request, id: string, seconds: number, now = Date.now()): void {
  const who = credential(req);
  if (!who) return;
  if (notBefore.size >= MAX_ENTRIES) sweep(now);
  notBefore.set(`${who}:${id}`, now + seconds * 1000 - SLACK_MS);
}

/** For tests. */
export function forgetPollAnswers(): void {
  notBefore.clear();
}
