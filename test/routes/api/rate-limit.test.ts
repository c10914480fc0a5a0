// Integration, on the real PostgreSQL: per-key and per-address rate limits shared by every instance of
// the app, a per-key limit set by an admin, and refusals that cost nothing: no body read, no database
// write, answered 429 problem+json with Retry-After.
import { vi } from "vitest";

vi.hoisted(() => {
  process.env.RATE_LIMIT_PER_KEY = "3";
  process.env.RATE_LIMIT_PER_IP = "5";
  process.env.TRUSTED_PROXIES = "0";
});

import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { count, eq, sql } from "drizzle-orm";
import postgres from "postgres";
import { afterEach, describe, expect, it } from "vitest";
import * as keyRoute from "@/app/api/admin/api-keys/[id]/route";
import * as listRoute from "@/app/api/v1/analyses/route";
import { db } from "@/lib/db/client";
import { apiKeys, auditEvents, rateBuckets } from "@/lib/db/schema";
import { metrics } from "@/lib/metrics";
import { call, createTestKey, createTestUser, fromAddress } from "@/test/support/principals";

const get = (key: string, ip: string, forwardedFor?: string) =>
  call(listRoute.GET, "/api/v1/analyses", {
    headers: { authorization: `Bearer ${key}`, ...fromAddress(ip), ...(forwardedFor ? { "x-forwarded-for": forwardedFor } : {}) },
  });

async function newKey(): Promise<{ key: string; id: string }> {
  const owner = await createTestUser("radiologist");
  return createTestKey(owner.user, ["analyses:read", "analyses:write"]);
}

async function setLimit(id: string, rateLimitPerMinute: number | null) {
  const admin = await createTestUser("admin");
  const res = await call(keyRoute.PATCH, `/api/admin/api-keys/${id}`, {
    method: "PATCH",
    headers: { cookie: admin.cookie, origin: "http://localhost:3000" },
    json: { rateLimitPerMinute },
    params: { id },
  });
  expect(res.status, await res.clone().text()).toBe(200);
  return res;
}

/** The row version of each row a refusal might write: a write of any kind gives a row a new xmin. */
async function rowVersions(keyId: string) {
  const rows = (await db.execute(sql`
    select 'key' as t, xmin::text as v from api_keys where id = ${keyId}
    union all select scope || ':' || key, xmin::text from rate_buckets where key = ${keyId} or key like '198.51.100.%'
    order by 1`)) as unknown as { t: string; v: string }[];
  const [{ n }] = await db.select({ n: count() }).from(auditEvents);
  return { rows, audit: n };
}

afterEach(() => {
  vi.useRealTimers();
});

describe("rate limits", () => {
  it("limits each key, then each address, with 429 problem+json and Retry-After, refilling evenly", async () => {
    // The clock stands still (only Date is faked), so budgets do not refill while the test runs.
    vi.useFakeTimers({ toFake: ["Date"] });
    const before = await metrics().registry.getSingleMetricAsString("cxr_rate_limited_total");
    const a = (await newKey()).key;
    const b = (await newKey()).key;

    for (let i = 0; i < 3; i++) expect((await get(a, "198.51.100.1")).status).toBe(200);
    const byKey = await get(a, "198.51.100.1");
    expect(byKey.status).toBe(429);
    // 3 per minute: one comes back every 20 s.
    expect(byKey.headers.get("retry-after")).toBe("20");
    expect(byKey.headers.get("content-type")).toBe("application/problem+json");
    expect(await byKey.json()).toMatchObject({ status: 429, code: "rate_limited", detail: expect.stringMatching(/with this API key; retry in 20 s/) });
    // Another address does not help a key that is out of budget (refused before it is even looked up).
    const elsewhere = await get(a, "198.51.100.9");
    expect(elsewhere.status).toBe(429);
    expect(elsewhere.headers.get("retry-after")).toBe("20");

    // The address has spent 3 of its 5 (a refused request counts for nothing): key b gets 2 more.
    expect((await get(b, "198.51.100.1")).status).toBe(200);
    expect((await get(b, "198.51.100.1")).status).toBe(200);
    const byIp = await get(b, "198.51.100.1");
    expect(byIp.status).toBe(429);
    expect(Number(byIp.headers.get("retry-after"))).toBe(12); // 5 per minute: one every 12 s
    expect((await byIp.json()).detail).toMatch(/from your address/);

    // A forged X-Forwarded-For entry is not the address that counts (no trusted proxy configured).
    expect((await get(b, "198.51.100.1", "10.9.9.9")).status).toBe(429);
    // A genuinely different address has its own budget.
    expect((await get(b, "198.51.100.2")).status).toBe(200);

    const after = await metrics().registry.getSingleMetricAsString("cxr_rate_limited_total");
    const counted = (text: string, limit: string) => Number(new RegExp(`limit="${limit}"\\} (\\d+)`).exec(text)?.[1] ?? 0);
    expect(counted(after, "key") - counted(before, "key")).toBe(2);
    expect(counted(after, "ip") - counted(before, "ip")).toBe(2);

    // Twenty seconds later key a has exactly one request again.
    vi.setSystemTime(Date.now() + 20_000);
    expect((await get(a, "198.51.100.3")).status).toBe(200);
    expect((await get(a, "198.51.100.3")).status).toBe(429);
  });

  it("applies the limit an admin sets on a key, and none when it is 0", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const slow = await newKey();
    const view = (await (await setLimit(slow.id, 2)).json()) as { apiKey: { rateLimitPerMinute: number } };
    expect(view.apiKey.rateLimitPerMinute).toBe(2);
    expect((await get(slow.key, "198.51.100.20")).status).toBe(200);
    expect((await get(slow.key, "198.51.100.21")).status).toBe(200);
    const refused = await get(slow.key, "198.51.100.22");
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe("30"); // 2 per minute: one every 30 s

    const free = await newKey();
    await setLimit(free.id, 0);
    // Well past the server's 3 per key (five addresses, so the per-address limit of 5 stays out of it).
    for (let i = 0; i < 10; i++) expect((await get(free.key, `198.51.100.${30 + (i % 5)}`)).status).toBe(200);

    const audit = await db.select().from(auditEvents).where(eq(auditEvents.targetId, slow.id));
    expect(audit.find((e) => e.action === "api_key.set_rate_limit")?.details).toMatchObject({ from: null, to: 2 });

    const admin = await createTestUser("admin");
    const bad = await call(keyRoute.PATCH, `/api/admin/api-keys/${slow.id}`, {
      method: "PATCH",
      headers: { cookie: admin.cookie, origin: "http://localhost:3000" },
      json: { rateLimitPerMinute: -5 },
      params: { id: slow.id },
    });
    expect(bad.status).toBe(400);
    expect((await bad.json()).detail).toMatch(/cannot be negative/);
  });

  it("is shared by two instances: another process spends the same key's budget", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const clock = Date.now();
    const shared = await newKey();
    await setLimit(shared.id, 4);
    expect((await get(shared.key, "198.51.100.40")).status).toBe(200);
    expect((await get(shared.key, "198.51.100.40")).status).toBe(200);

    // Instance B: a process of its own, on the same clock and database.
    const { stdout } = await promisify(execFile)(
      "node_modules/.bin/tsx",
      ["--conditions=react-server", "test/support/rate-limit-instance.ts", shared.key, "198.51.100.41", "3", String(clock)],
      { env: { ...process.env, LOG_LEVEL: "silent" }, timeout: 120_000 },
    );
    expect(JSON.parse(stdout.trim().split("\n").pop()!)).toEqual({ statuses: [200, 200, 429] });

    // Back on instance A, which has never been refused for this key itself: the shared count says no.
    const refused = await get(shared.key, "198.51.100.40");
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe("15");
  });

  it("lets exactly the budget through when requests race for it", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const raced = await newKey();
    await setLimit(raced.id, 7);
    const statuses = await Promise.all(Array.from({ length: 30 }, (_, i) => get(raced.key, `198.51.100.${70 + (i % 5)}`).then((r) => r.status)));
    expect(statuses.filter((s) => s === 200)).toHaveLength(7);
    expect(statuses.filter((s) => s === 429)).toHaveLength(23);
  });

  it("refuses without reading the body and without writing to the database", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const spent = await newKey();
    for (let i = 0; i < 3; i++) expect((await get(spent.key, "198.51.100.50")).status).toBe(200);

    let pulls = 0;
    const upload = () => {
      // highWaterMark 0: the stream is pulled only when someone reads the body.
      const body = new ReadableStream<Uint8Array>(
        {
          pull(controller) {
            pulls++;
            controller.enqueue(new Uint8Array(64 * 1024));
          },
        },
        { highWaterMark: 0 },
      );
      return call(listRoute.POST, "/api/v1/analyses", {
        method: "POST",
        headers: { authorization: `Bearer ${spent.key}`, ...fromAddress("198.51.100.51"), "content-type": "multipart/form-data; boundary=x" },
        body,
      });
    };

    // The first refusal asks PostgreSQL, which finds the key out of room and writes nothing, not even
    // the count for the new address.
    const versions = await rowVersions(spent.id);
    const first = await upload();
    expect(first.status).toBe(429);
    expect(await rowVersions(spent.id)).toEqual(versions);

    // Later refusals are answered from memory: with every write to these tables blocked by another
    // session's lock, they are still answered (a write would wait for the lock and time out here).
    const other = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
    try {
      await other.begin(async (tx) => {
        await tx`lock table rate_buckets, api_keys, audit_events in share mode`;
        const answered = await Promise.race([
          Promise.all(Array.from({ length: 20 }, upload)),
          new Promise<"blocked">((resolve) => setTimeout(() => resolve("blocked"), 20_000)),
        ]);
        expect(answered).not.toBe("blocked");
        for (const res of answered as Response[]) {
          expect(res.status).toBe(429);
          expect(res.headers.get("retry-after")).toBe("20");
        }
      });
    } finally {
      await other.end();
    }
    expect(pulls).toBe(0);
    expect(await rowVersions(spent.id)).toEqual(versions);
    const [bucket] = await db.select().from(rateBuckets).where(eq(rateBuckets.key, spent.id));
    expect(bucket.intervalMs).toBe(20_000);
  });
});

describe("API key last use", () => {
  it("is written at most once a minute, not on every request", async () => {
    const { key, id } = await newKey();
    await setLimit(id, 0);
    const seen = async () => {
      const [row] = (await db.execute(sql`select xmin::text as v, last_used_at as at from api_keys where id = ${id}`)) as unknown as { v: string; at: string }[];
      return row;
    };
    expect((await seen()).at).toBeNull();
    expect((await get(key, "198.51.100.60")).status).toBe(200);
    const first = await seen();
    expect(first.at).not.toBeNull();
    expect((await get(key, "198.51.100.61")).status).toBe(200);
    expect((await get(key, "198.51.100.62")).status).toBe(200);
    // Same row version: not rewritten, not even with the same value.
    expect(await seen()).toEqual(first);

    // A minute on, the next request writes it again.
    await db.update(apiKeys).set({ lastUsedAt: sql`now() - interval '61 seconds'` }).where(eq(apiKeys.id, id));
    const backdated = await seen();
    expect((await get(key, "198.51.100.63")).status).toBe(200);
    const later = await seen();
    expect(later.v).not.toBe(backdated.v);
    expect(new Date(later.at).getTime()).toBeGreaterThan(new Date(backdated.at).getTime());
  });
});
