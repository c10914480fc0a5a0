import { beforeEach, describe, expect, it } from "vitest";
import { AppError } from "@/lib/core/errors";
import { forgetPollAnswers, notePollAnswer, refuseEarlyPoll } from "./poll-pace";

const req = (key?: string) => new Request("http://x/api/v1/analyses/a", { headers: key ? { authorization: `Bearer ${key}` } : {} });
const refusal = (fn: () => void): AppError | null => {
  try {
    fn();
    return null;
  } catch (e) {
    return e as AppError;
  }
};

describe("polls sooner than Retry-After", () => {
  beforeEach(forgetPollAnswers);

  it("are refused with 429 and the time left, for that credential and analysis only", () => {
    const t = 1_000_000;
    notePollAnswer(req("k1"), "a", 5, t);
    const early = refusal(() => refuseEarlyPoll(req("k1"), "a", t + 500));
    expect(early?.code).toBe("rate_limited");
    expect(early?.extra).toMatchObject({ subcode: "poll_too_soon", retryAfterSeconds: 5 });
    expect(refusal(() => refuseEarlyPoll(req("k1"), "a", t + 4_000))?.extra.retryAfterSeconds).toBe(1);
    expect(refusal(() => refuseEarlyPoll(req("k2"), "a", t + 500))).toBeNull(); // another key
    expect(refusal(() => refuseEarlyPoll(req("k1"), "b", t + 500))).toBeNull(); // another analysis
    expect(refusal(() => refuseEarlyPoll(req(), "a", t + 500))).toBeNull(); // no key: not paced here
  });

  it("a client that waits as told is answered (a little slack for clocks and the network)", () => {
    const t = 2_000_000;
    notePollAnswer(req("k1"), "a", 3, t);
    expect(refusal(() => refuseEarlyPoll(req("k1"), "a", t + 2_800))).toBeNull();
  });
});
