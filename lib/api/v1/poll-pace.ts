import "server-only";
import { watchFinished } from "@/lib/analyses/completion";
import { countRateLimited } from "@/lib/metrics";
import { countPollRefusalsWith, earlyPollRefusal, notePollAnswer as note, releasePolls } from "./poll-gate";

// Clients that poll an unfinished analysis faster than its Retry-After said. After a status answer of
// `queued` or `processing` with Retry-After R, the same credential asking for the same analysis within
// R seconds (less a little slack for clock and network) is answered 429 with the time left, from memory
// (./poll-gate.ts): no authentication lookup, no rate-limit row, no database read — and in `npm start`'s
// server not even Next.js's routing (lib/cli/serve.ts). A client that follows Retry-After is never
// refused; one polling every 500 ms regardless costs the server next to nothing between its allowed
// reads, so the workers keep their pace. When the analysis finishes (the worker's notification), its
// polls are let through at once: a result that has changed is never held back by an estimate.

countPollRefusalsWith(() => countRateLimited("key"));

/** Throws 429 with Retry-After when this credential was told to wait longer before asking about `id`. */
export function refuseEarlyPoll(req: Request, id: string, now = Date.now()): void {
  const refusal = earlyPollRefusal(req.headers.get("authorization"), req.headers.get("prefer"), id, now);
  if (refusal) throw refusal;
}

/** Remembers that this credential was told to come back for `id` in `seconds`. */
export function notePollAnswer(req: Request, id: string, seconds: number, now = Date.now()): void {
  note(req.headers.get("authorization"), id, seconds, now);
  watchFinished("poll-pace", releasePolls);
}

export { forgetPollAnswers } from "./poll-gate";
