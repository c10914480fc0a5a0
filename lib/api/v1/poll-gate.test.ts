import { beforeEach, describe, expect, it } from "vitest";
import { earlyPollRefusal, earlyPollRefusalFor, forgetPollAnswers, notePollAnswer, releasePolls } from "./poll-gate";

const ID = "0b8e4a52-6a4f-4c1e-9d0e-3f2a1b4c5d6e";
const OTHER = "1c9f5b63-7b5f-4d2f-8e1f-4a3b2c5d6e7f";
const auth = (key: string) => `Bearer ${key}`;

describe("polls sooner than Retry-After", () => {
  beforeEach(forgetPollAnswers);

  it("are refused with 429 and the time left, for that credential and analysis only", () => {
    const t = 1_000_000;
    notePollAnswer(auth("k1"), ID, 5, t);
    const early = earlyPollRefusal(auth("k1"), null, ID, t + 500);
    expect(early?.code).toBe("rate_limited");
    expect(early?.extra).toMatchObject({ subcode: "poll_too_soon", retryAfterSeconds: 5 });
    expect(earlyPollRefusal(auth("k1"), null, ID, t + 4_000)?.extra.retryAfterSeconds).toBe(1);
    expect(earlyPollRefusal(auth("k2"), null, ID, t + 500)).toBeNull(); // another key
    expect(earlyPollRefusal(auth("k1"), null, OTHER, t + 500)).toBeNull(); // another analysis
    expect(earlyPollRefusal(null, null, ID, t + 500)).toBeNull(); // no key: not paced here
  });

  it("a client that waits as told is answered (a little slack for clocks and the network)", () => {
    const t = 2_000_000;
    notePollAnswer(auth("k1"), ID, 3, t);
    expect(earlyPollRefusal(auth("k1"), null, ID, t + 2_800)).toBeNull();
  });

  it("a poll that asks to wait at least the time left is let through; a shorter wait is not", () => {
    const t = 3_000_000;
    notePollAnswer(auth("k1"), ID, 10, t);
    expect(earlyPollRefusal(auth("k1"), "wait=30", ID, t + 1_000)).toBeNull();
    expect(earlyPollRefusal(auth("k1"), "respond-async, wait=9", ID, t + 1_000)).toBeNull();
    expect(earlyPollRefusal(auth("k1"), "wait=8", ID, t + 1_000)?.extra.retryAfterSeconds).toBe(9);
  });

  it("a finished analysis is let through at once, whatever Retry-After said", () => {
    const t = Date.now();
    notePollAnswer(auth("k1"), ID, 30, t);
    notePollAnswer(auth("k2"), ID, 30, t);
    notePollAnswer(auth("k1"), OTHER, 30, t);
    releasePolls(ID.toUpperCase());
    expect(earlyPollRefusal(auth("k1"), null, ID, t + 100)).toBeNull();
    expect(earlyPollRefusal(auth("k2"), null, ID, t + 100)).toBeNull();
    expect(earlyPollRefusal(auth("k1"), null, OTHER, t + 100)).not.toBeNull();
  });

  it("by request line: only GET of one v1 analysis is paced", () => {
    notePollAnswer(auth("k1"), ID, 30);
    const h = { authorization: auth("k1") };
    expect(earlyPollRefusalFor("GET", `/api/v1/analyses/${ID}`, h)?.extra.subcode).toBe("poll_too_soon");
    expect(earlyPollRefusalFor("GET", `/api/v1/analyses/${ID}?x=1`, h)).not.toBeNull();
    expect(earlyPollRefusalFor("HEAD", `/api/v1/analyses/${ID}`, h)).toBeNull();
    expect(earlyPollRefusalFor("DELETE", `/api/v1/analyses/${ID}`, h)).toBeNull();
    expect(earlyPollRefusalFor("GET", `/api/v1/analyses/${ID}/fhir`, h)).toBeNull();
    expect(earlyPollRefusalFor("GET", `/api/v1/analyses/${ID}/`, h)).toBeNull();
    expect(earlyPollRefusalFor("GET", `/api/analyses/${ID}`, h)).toBeNull();
    expect(earlyPollRefusalFor("GET", `/api/v1/analyses/${ID}`, { authorization: auth("k2") })).toBeNull();
  });
});
