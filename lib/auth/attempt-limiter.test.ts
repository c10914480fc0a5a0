// Integration (real PostgreSQL): the attempt limiter behind sign-in throttling and share access codes.
import crypto from "node:crypto";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { attemptCounters } from "@/lib/db/schema";
import { AttemptLimiter } from "./attempt-limiter";

const MINUTE = 60_000;
// Each test counts in a scope of its own: files run side by side on one database.
const limiter = (max: number, windowMs = 15 * MINUTE) => new AttemptLimiter(`test.${crypto.randomBytes(4).toString("hex")}`, max, windowMs);

async function stored(l: AttemptLimiter, key: string): Promise<number[] | undefined> {
  const [row] = await db
    .select()
    .from(attemptCounters)
    .where(and(eq(attemptCounters.scope, l.scope), eq(attemptCounters.key, key)));
  return row?.attempts;
}

describe("AttemptLimiter on PostgreSQL", () => {
  it("allows max attempts per sliding window, then refuses with the time until the oldest leaves it", async () => {
    const l = limiter(3, 1000 * 60);
    const t0 = Date.now();
    expect(await l.attempt("a", t0)).toEqual({ allowed: true, remaining: 2, retryAfterMs: 0, at: t0 });
    expect((await l.attempt("a", t0 + 10_000)).remaining).toBe(1);
    expect((await l.attempt("a", t0 + 20_000)).remaining).toBe(0);
    const refused = await l.attempt("a", t0 + 30_000);
    expect(refused).toMatchObject({ allowed: false, remaining: 0, retryAfterMs: 30_000 });
    // A refused attempt takes no slot, and another key is counted on its own.
    expect(await stored(l, "a")).toEqual([t0, t0 + 10_000, t0 + 20_000]);
    expect((await l.attempt("b", t0 + 30_000)).allowed).toBe(true);
    // The oldest attempt leaves the window at t0 + 60 s; the next one only at t0 + 70 s.
    expect((await l.attempt("a", t0 + 60_000)).allowed).toBe(true);
    expect(await l.attempt("a", t0 + 60_001)).toMatchObject({ allowed: false, retryAfterMs: 9_999 });
    expect(await stored(l, "a")).toEqual([t0 + 10_000, t0 + 20_000, t0 + 60_000]);
  });

  it("lets exactly max of many parallel attempts through, however they interleave", async () => {
    const l = limiter(5);
    const now = Date.now();
    const decisions = await Promise.all(Array.from({ length: 20 }, () => l.attempt("burst", now)));
    expect(decisions.filter((d) => d.allowed)).toHaveLength(5);
    expect(decisions.filter((d) => !d.allowed)).toHaveLength(15);
    expect(decisions.filter((d) => d.allowed).map((d) => d.remaining).sort()).toEqual([0, 1, 2, 3, 4]);
    expect(await stored(l, "burst")).toHaveLength(5);
  });

  it("counts across limiter instances (another process, or the same one after a restart)", async () => {
    const first = limiter(2);
    const restarted = new AttemptLimiter(first.scope, 2, first.windowMs);
    const now = Date.now();
    await first.attempt("k", now);
    await first.attempt("k", now + 1);
    expect((await restarted.attempt("k", now + 2)).allowed).toBe(false);
  });

  it("forgets attempts once the window has passed, without waiting in real time", async () => {
    const l = limiter(2, 15 * MINUTE);
    const t0 = Date.now();
    await l.attempt("k", t0);
    await l.attempt("k", t0 + MINUTE);
    expect(await l.attempt("k", t0 + 14 * MINUTE)).toMatchObject({ allowed: false, retryAfterMs: MINUTE });
    expect(await l.attempt("k", t0 + 15 * MINUTE)).toMatchObject({ allowed: true, remaining: 0 });
    expect((await l.attempt("k", t0 + 16 * MINUTE + 1)).allowed).toBe(true);
    expect(await stored(l, "k")).toEqual([t0 + 15 * MINUTE, t0 + 16 * MINUTE + 1]);
    const [row] = await db.select().from(attemptCounters).where(eq(attemptCounters.scope, l.scope));
    expect(row.expiresAt.getTime()).toBe(t0 + 31 * MINUTE + 1);
  });

  it("gives back one slot on release and forgets a key on clear", async () => {
    const l = limiter(2);
    const now = Date.now();
    const first = await l.attempt("k", now);
    await l.attempt("k", now + 1);
    expect((await l.attempt("k", now + 2)).allowed).toBe(false);
    await l.release("k", first.at);
    expect(await stored(l, "k")).toEqual([now + 1]);
    await l.release("k", now - 5); // a slot it never took: nothing changes
    expect(await stored(l, "k")).toEqual([now + 1]);
    expect(await l.attempt("k", now + 3)).toMatchObject({ allowed: true, remaining: 0 });
    await l.clear("k");
    expect(await stored(l, "k")).toBeUndefined();
    expect(await l.attempt("k", now + 4)).toMatchObject({ allowed: true, remaining: 1 });
  });

  it("with max 0 allows everything and stores nothing", async () => {
    const l = limiter(0);
    for (let i = 0; i < 3; i++) expect((await l.attempt("k")).allowed).toBe(true);
    expect(await stored(l, "k")).toBeUndefined();
  });
});
