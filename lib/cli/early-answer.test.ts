import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { forgetPollAnswers, notePollAnswer } from "@/lib/api/v1/poll-gate";
import { answeredBeforeNext } from "./early-answer";

// The app server's answer before Next.js, on a real socket: a too-soon poll gets the same 429
// problem+json and headers the route handler would give; anything else goes on (here: 418).

const ID = "0b8e4a52-6a4f-4c1e-9d0e-3f2a1b4c5d6e";
let server: http.Server;
let base: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    if (answeredBeforeNext(req, res)) return;
    res.writeHead(418).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(forgetPollAnswers);

describe("answers before Next.js", () => {
  it("refuses a poll sooner than Retry-After with 429 problem+json, Retry-After and the site's headers", async () => {
    notePollAnswer("Bearer k1", ID, 20);
    const res = await fetch(`${base}/api/v1/analyses/${ID}`, { headers: { authorization: "Bearer k1" } });
    expect(res.status).toBe(429);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThanOrEqual(19);
    expect(res.headers.get("cache-control")).toBe("no-store, no-transform");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("content-security-policy")).toMatch(/frame-ancestors 'none'/);
    expect(await res.json()).toMatchObject({ status: 429, code: "poll_too_soon", instance: `/api/v1/analyses/${ID}` });
  });

  it("leaves everything else to Next.js: other keys, other paths, waits long enough, nothing noted", async () => {
    const status = async (path: string, headers: Record<string, string>) => (await fetch(`${base}${path}`, { headers })).status;
    expect(await status(`/api/v1/analyses/${ID}`, { authorization: "Bearer k1" })).toBe(418);
    notePollAnswer("Bearer k1", ID, 20);
    expect(await status(`/api/v1/analyses/${ID}`, { authorization: "Bearer k2" })).toBe(418);
    expect(await status(`/api/v1/analyses/${ID}`, { authorization: "Bearer k1", prefer: "wait=30" })).toBe(418);
    expect(await status(`/api/v1/analyses/${ID}/fhir`, { authorization: "Bearer k1" })).toBe(418);
    expect(await status(`/api/v1/analyses/${ID}`, {})).toBe(418);
  });
});
