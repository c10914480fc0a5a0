// Integration: per-key and per-address rate limits on the v1 routes, answered 429 + Retry-After.
import { vi } from "vitest";

vi.hoisted(() => {
  process.env.RATE_LIMIT_PER_KEY = "3";
  process.env.RATE_LIMIT_PER_IP = "5";
  process.env.TRUSTED_PROXIES = "0";
});

import { describe, expect, it } from "vitest";
import * as listRoute from "@/app/api/v1/analyses/route";
import { metrics } from "@/lib/metrics";
import { call, createTestKey, createTestUser } from "@/lib/testing/principals";

const get = (key: string, ip: string) => call(listRoute.GET, "/api/v1/analyses", { headers: { authorization: `Bearer ${key}`, "x-forwarded-for": ip } });

describe("rate limits", () => {
  it("limits each key, then each address, with 429 problem+json and Retry-After", async () => {
    // The clock stands still (only Date is faked), so budgets do not refill while the test runs.
    vi.useFakeTimers({ toFake: ["Date"] });
    const owner = await createTestUser("radiologist");
    const a = (await createTestKey(owner.user, ["analyses:read"])).key;
    const b = (await createTestKey(owner.user, ["analyses:read"])).key;

    for (let i = 0; i < 3; i++) expect((await get(a, "198.51.100.1")).status).toBe(200);
    const byKey = await get(a, "198.51.100.1");
    expect(byKey.status).toBe(429);
    // 3 per minute: one comes back every 20 s.
    expect(byKey.headers.get("retry-after")).toBe("20");
    expect(byKey.headers.get("content-type")).toBe("application/problem+json");
    expect(await byKey.json()).toMatchObject({ status: 429, code: "rate_limited", detail: expect.stringMatching(/with this API key; retry in 20 s/) });
    // Another address does not help a key that is out of budget.
    expect((await get(a, "203.0.113.50")).status).toBe(429);

    // The address has spent 3 of its 5 (the key-refused calls were given back): key b gets 2 more.
    expect((await get(b, "198.51.100.1")).status).toBe(200);
    expect((await get(b, "198.51.100.1")).status).toBe(200);
    const byIp = await get(b, "198.51.100.1");
    expect(byIp.status).toBe(429);
    expect(Number(byIp.headers.get("retry-after"))).toBe(12); // 5 per minute: one every 12 s
    expect((await byIp.json()).detail).toMatch(/from your address/);

    // A forged X-Forwarded-For entry is not the address that counts (no trusted proxy configured).
    expect((await get(b, "10.9.9.9, 198.51.100.1")).status).toBe(429);
    // A genuinely different address has its own budget.
    expect((await get(b, "198.51.100.2")).status).toBe(200);

    const text = await metrics().registry.metrics();
    expect(text).toMatch(/cxr_rate_limited_total\{limit="key"\} 2/);
    expect(text).toMatch(/cxr_rate_limited_total\{limit="ip"\} 2/);

    // Twenty seconds later key a has exactly one request again.
    vi.setSystemTime(Date.now() + 20_000);
    expect((await get(a, "198.51.100.3")).status).toBe(200);
    expect((await get(a, "198.51.100.3")).status).toBe(429);
    vi.useRealTimers();
  });
});
