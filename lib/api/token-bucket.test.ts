import { describe, expect, it } from "vitest";
import { TokenBucketLimiter } from "./token-bucket";

describe("TokenBucketLimiter", () => {
  it("allows a burst of perMinute, then refuses with the wait until one token is back", () => {
    const l = new TokenBucketLimiter(6); // one token per 10 s
    const t0 = 1_000_000;
    for (let i = 0; i < 6; i++) expect(l.take("k", t0).allowed).toBe(true);
    const refused = l.take("k", t0);
    expect(refused).toEqual({ allowed: false, remaining: 0, retryAfterSeconds: 10 });
    expect(l.take("k", t0 + 4_000)).toMatchObject({ allowed: false, retryAfterSeconds: 6 });
    expect(l.take("k", t0 + 10_000).allowed).toBe(true);
    expect(l.take("k", t0 + 10_000).allowed).toBe(false);
  });

  it("keeps callers apart and never refills above the burst size", () => {
    const l = new TokenBucketLimiter(2);
    expect(l.take("a", 0).allowed).toBe(true);
    expect(l.take("a", 0).allowed).toBe(true);
    expect(l.take("a", 0).allowed).toBe(false);
    expect(l.take("b", 0).allowed).toBe(true);
    // An hour idle still only gives 2.
    const later = 3_600_000;
    expect(l.take("a", later).remaining).toBe(1);
    expect(l.take("a", later).remaining).toBe(0);
    expect(l.take("a", later).allowed).toBe(false);
  });

  it("refund gives back exactly one token", () => {
    const l = new TokenBucketLimiter(1);
    expect(l.take("k", 0).allowed).toBe(true);
    expect(l.take("k", 0).allowed).toBe(false);
    l.refund("k");
    expect(l.take("k", 0).allowed).toBe(true);
  });

  it("0 per minute means no limit", () => {
    const l = new TokenBucketLimiter(0);
    for (let i = 0; i < 1000; i++) expect(l.take("k", 0).allowed).toBe(true);
  });
});
