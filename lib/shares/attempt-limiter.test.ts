import { describe, expect, it } from "vitest";
import { AttemptLimiter } from "./attempt-limiter";

describe("AttemptLimiter", () => {
  it("allows max attempts per window, then refuses with the time until the oldest expires", () => {
    const limiter = new AttemptLimiter(3, 1000);
    expect(limiter.attempt("a", 0)).toEqual({ allowed: true, remaining: 2, retryAfterMs: 0 });
    expect(limiter.attempt("a", 100).remaining).toBe(1);
    expect(limiter.attempt("a", 200).remaining).toBe(0);
    expect(limiter.attempt("a", 300)).toEqual({ allowed: false, remaining: 0, retryAfterMs: 700 });
    // Another key is counted on its own.
    expect(limiter.attempt("b", 300).allowed).toBe(true);
    // The oldest attempt leaves the window at t=1000.
    expect(limiter.attempt("a", 1000).allowed).toBe(true);
    expect(limiter.attempt("a", 1001).allowed).toBe(false);
  });

  it("clears a key after a success and peeks without taking a slot", () => {
    const limiter = new AttemptLimiter(2, 1000);
    limiter.attempt("k", 0);
    limiter.attempt("k", 1);
    expect(limiter.peek("k", 2).allowed).toBe(false);
    limiter.clear("k");
    expect(limiter.peek("k", 3)).toEqual({ allowed: true, remaining: 2, retryAfterMs: 0 });
    expect(limiter.peek("k", 3).remaining).toBe(2);
  });
});
