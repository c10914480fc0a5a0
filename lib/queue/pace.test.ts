import { describe, expect, it } from "vitest";
import { MAX_RETRY_AFTER_SECONDS, retryAfterFor } from "./pace";

describe("Retry-After from the place in line and the measured pace", () => {
  it("is the time until the analysis's own turn is done, in whole seconds, at least 1", () => {
    expect(retryAfterFor(null, 15)).toBe(1); // being processed
    expect(retryAfterFor(1, 15)).toBe(1);
    expect(retryAfterFor(29, 15)).toBe(2); // 30 turns at 15/s
    expect(retryAfterFor(44, 15)).toBe(3);
    expect(retryAfterFor(10, 0.5)).toBe(22);
  });

  it("never sends a client away longer than the cap, even with no measured pace", () => {
    expect(retryAfterFor(5000, 15)).toBe(MAX_RETRY_AFTER_SECONDS);
    expect(retryAfterFor(3, 0)).toBe(MAX_RETRY_AFTER_SECONDS);
  });
});
