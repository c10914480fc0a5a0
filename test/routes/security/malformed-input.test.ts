// Security suite: malformed input gets a 4xx with a message a person understands, never a 500. Each of
// these used to reach the database (or a header) and fail there.
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import * as keysRoute from "@/app/api/admin/api-keys/route";
import * as exportRoute from "@/app/api/admin/audit/export/route";
import * as auditRoute from "@/app/api/admin/audit/route";
import * as reviewRoute from "@/app/api/analyses/[id]/review/route";
import * as metricsRoute from "@/app/api/metrics/route";
import * as v1ListRoute from "@/app/api/v1/analyses/route";
import * as worklistRoute from "@/app/api/worklist/route";
import { safeReturnPath } from "@/lib/auth/return-path";
import { db } from "@/lib/db/client";
import { users } from "@/lib/db/schema";
import { errorSummary } from "@/lib/log";
import { call, createTestKey, createTestUser, type TestUser } from "@/test/support/principals";

const YEAR_0000 = "0000-01-01T00:00:00Z";
const YEAR_275760 = "+275760-09-13T00:00:00.000Z";
const cursorOf = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");

async function expectClientError(res: Response, what: string) {
  expect(res.status, what).toBeGreaterThanOrEqual(400);
  expect(res.status, what).toBeLessThan(500);
  expect(res.headers.get("content-type"), what).toBe("application/problem+json");
  expect(((await res.json()) as { detail: string }).detail.length, what).toBeGreaterThan(5);
}

describe("security: malformed input", () => {
  let admin: TestUser;
  let reader: TestUser;
  let key: string;
  beforeAll(async () => {
    admin = await createTestUser("admin");
    reader = await createTestUser("radiologist");
    key = (await createTestKey(reader.user, ["analyses:read"])).key;
  });

  it("answers every listed malformed input with a 4xx problem, and logs database errors without SQL", async () => {
    // A planted cookie that is not valid percent-encoding breaks neither sessions nor /api/metrics.
    const planted = `a=%; ${reader.cookie}`;
    expect((await call(worklistRoute.POST, "/api/worklist", { method: "POST", headers: { cookie: planted }, json: {} })).status).toBe(200);
    await expectClientError(await call(metricsRoute.GET, "/api/metrics", { headers: { cookie: "a=%" } }), "metrics cookie");

    // Dates outside 1900..2200 in the worklist, v1, audit and API-key expiry.
    for (const from of [YEAR_0000, YEAR_275760]) {
      await expectClientError(await call(worklistRoute.POST, "/api/worklist", { method: "POST", headers: { cookie: reader.cookie }, json: { from } }), `worklist ${from}`);
      const v1 = await call(v1ListRoute.GET, "/api/v1/analyses", { headers: { authorization: `Bearer ${key}` }, query: { createdAfter: from } });
      await expectClientError(v1, `v1 ${from}`);
    }
    for (const from of ["0000-01-01", YEAR_0000]) {
      await expectClientError(await call(auditRoute.GET, "/api/admin/audit", { headers: { cookie: admin.cookie }, query: { from } }), `audit ${from}`);
      // The CSV export is refused before its first byte, not cut off mid-stream.
      await expectClientError(await call(exportRoute.GET, "/api/admin/audit/export", { headers: { cookie: admin.cookie }, query: { from } }), `export ${from}`);
    }
    const expiry = await call(keysRoute.POST, "/api/admin/api-keys", {
      method: "POST",
      headers: { cookie: admin.cookie },
      json: { ownerEmail: reader.user.email, name: "far future", scopes: ["analyses:read"], expiresAt: YEAR_275760 },
    });
    await expectClientError(expiry, "api key expiry");

    // NUL and control characters in the worklist search and in a review impression.
    for (const q of ["acc\u0000123", "acc\u0007"]) {
      await expectClientError(await call(worklistRoute.POST, "/api/worklist", { method: "POST", headers: { cookie: reader.cookie }, json: { q } }), `q ${JSON.stringify(q)}`);
    }
    const id = "0b5e8a3c-1f4e-4a8e-9d3a-3b1c2d4e5f60";
    for (const impression of ["No acute\u0000 findings", "\u001b[31mred"]) {
      const res = await call(reviewRoute.PUT, `/api/analyses/${id}/review`, { method: "PUT", params: { id }, headers: { cookie: reader.cookie }, json: { impression } });
      await expectClientError(res, `impression ${JSON.stringify(impression)}`);
    }

    // v1 cursors that are not ones the API returned.
    for (const cursor of ["!!!", cursorOf([YEAR_0000.replace("Z", ".000000Z"), id]), cursorOf(["2026-12-01T08:00:00.000000Z", "-".repeat(36)]), cursorOf({})]) {
      const res = await call(v1ListRoute.GET, "/api/v1/analyses", { headers: { authorization: `Bearer ${key}` }, query: { cursor } });
      await expectClientError(res, `cursor ${cursor}`);
    }

    // `/sign-in?next=/。/x` redirects signed-in people to the path: it must fit in a Location header.
    const next = safeReturnPath("/。/x");
    expect(next).toBe("/%E3%80%82/x");
    expect(() => new Headers({ location: next! })).not.toThrow();

    // A database error is logged by its code, without the SQL or the values.
    const failed = await db
      .select()
      .from(users)
      .where(eq(users.id, "not-a-uuid-secret-value"))
      .catch((e: unknown) => e);
    const logged = JSON.stringify(errorSummary(failed));
    expect(logged).toContain("22P02");
    expect(logged).not.toMatch(/select|not-a-uuid-secret-value/i);
  });
});
