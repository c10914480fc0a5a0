import crypto from "node:crypto";
import { AppError } from "@/lib/core/errors";
import { preferredWaitSeconds } from "@/lib/uploads/upload-preferences";

// The memory behind poll pacing (./poll-pace.ts): which credential was told to come back for which
// analysis when. Deliberately free of "server-only", of the database and of Next.js, so that the app's
// HTTP server (lib/cli/serve.ts) can refuse a poll that comes too soon BEFORE the request reaches
// Next.js: a burst of clients polling every 500 ms sends about a thousand reads a second, and Next.js's
// routing of each one cost more than everything the refusal itself needs. State is per process, on
// globalThis, so the server and the route handlers (a separate module instance in Next.js's bundle)
// share it.

const SLACK_MS = 250;
const MAX_ENTRIES = 100_000;
/** The one path paced: GET /api/v1/analyses/{uuid} (no trailing slash, any query). */
const PACED_PATH = /^\/api\/v1\/analyses\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?:\?|$)/i;

interface GateState {
  /** Analysis id -> credential hash -> epoch ms before which asking again is too soon. */
  byAnalysis: Map<string, Map<string, number>>;
  entries: number;
  /** Counts a refusal where it is counted (the metrics registry lives in the route handlers' modules). */
  onRefused: (() => void) | null;
}

const state = globalThis as unknown as { cxrPollGate?: GateState };
const gate = (state.cxrPollGate ??= { byAnalysis: new Map(), entries: 0, onRefused: null });

/** The bearer credential presented, hashed (never kept in clear), or null: only API clients are paced. */
function credential(authorization: string | null | undefined): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "");
  return match ? crypto.createHash("sha256").update(match[1]).digest("base64url") : null;
}

function remove(id: string, who: string): void {
  const forId = gate.byAnalysis.get(id);
  if (!forId?.delete(who)) return;
  gate.entries--;
  if (forId.size === 0) gate.byAnalysis.delete(id);
}

function sweep(now: number): void {
  for (const [id, forId] of gate.byAnalysis) for (const [who, until] of forId) if (until <= now) remove(id, who);
  // Still full of live entries (a flood of distinct ids): forget the oldest noted analyses.
  for (const [id, forId] of gate.byAnalysis) {
    if (gate.entries < MAX_ENTRIES) break;
    gate.entries -= forId.size;
    gate.byAnalysis.delete(id);
  }
}

/**
 * The 429 for a poll of `id` sooner than this credential was told, or null to let it through. A poll
 * that asks to wait (`Prefer: wait=N`) at least as long as it was told to stay away is let through: it
 * is held until the analysis finishes instead of being answered again and again.
 */
export function earlyPollRefusal(authorization: string | null | undefined, prefer: string | null | undefined, id: string, now = Date.now()): AppError | null {
  if (gate.entries === 0) return null;
  const who = credential(authorization);
  if (!who) return null;
  const until = gate.byAnalysis.get(id.toLowerCase())?.get(who);
  if (until === undefined || until <= now) return null;
  const seconds = Math.max(1, Math.ceil((until + SLACK_MS - now) / 1000));
  if (prefer && preferredWaitSeconds(new Headers({ prefer })) >= seconds) return null;
  gate.onRefused?.();
  return new AppError("rate_limited", `This analysis is not finished; you were asked to check again after Retry-After. Retry in ${seconds} s.`, {
    retryAfterSeconds: seconds,
    subcode: "poll_too_soon",
  });
}

/** earlyPollRefusal for a request line, when it is a GET of one v1 analysis; null for anything else. */
export function earlyPollRefusalFor(method: string | undefined, url: string | undefined, headers: { authorization?: string | null; prefer?: string | null }): AppError | null {
  if (gate.entries === 0 || method !== "GET" || !url) return null;
  const match = PACED_PATH.exec(url);
  return match ? earlyPollRefusal(headers.authorization, headers.prefer, match[1]) : null;
}

/** Remembers that this credential was told to come back for `id` in `seconds`. */
export function notePollAnswer(authorization: string | null | undefined, id: string, seconds: number, now = Date.now()): void {
  const who = credential(authorization);
  if (!who) return;
  if (gate.entries >= MAX_ENTRIES) sweep(now);
  const key = id.toLowerCase();
  let forId = gate.byAnalysis.get(key);
  if (!forId) gate.byAnalysis.set(key, (forId = new Map()));
  if (!forId.has(who)) gate.entries++;
  forId.set(who, now + seconds * 1000 - SLACK_MS);
}

/** The analysis finished: its next poll is answered at once, whatever Retry-After said. */
export function releasePolls(id: string): void {
  const forId = gate.byAnalysis.get(id.toLowerCase());
  if (!forId) return;
  gate.entries -= forId.size;
  gate.byAnalysis.delete(id.toLowerCase());
}

/** Where refusals are counted (set once by the route handlers' side). */
export function countPollRefusalsWith(count: () => void): void {
  gate.onRefused = count;
}

/** For tests. */
export function forgetPollAnswers(): void {
  gate.byAnalysis.clear();
  gate.entries = 0;
}
