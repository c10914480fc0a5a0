// Security suite: client addresses. A made-up X-Forwarded-For used to reopen a spent rate limit and
// put strings such as `=1+2` or markup into the audit log. Addresses now come from the socket (as the
// server stamps it, lib/cli/start.ts) unless TRUSTED_PROXIES says otherwise, and are validated.
// e2e/security.spec.ts checks the same through the real server.
import { vi } from "vitest";

vi.hoisted(() => {
  process.env.RATE_LIMIT_PER_IP = "5";
});

import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import * as statsRoute from "@/app/api/stats/[chart]/route";
import * as passwordRoute from "@/app/api/account/password/route";
import { db } from "@/lib/db/client";
import { auditEvents } from "@/lib/db/schema";
import { call, createTestUser, fromAddress } from "@/test/support/principals";

const FORGED = ["=1+2", "<img src=x onerror=alert(1)>", "198.51.100.1", "10.0.0.1, 198.51.100.2"];

describe("security: client address", () => {
  it("a forged X-Forwarded-For changes neither a spent limit nor what the audit log records", async () => {
    const socket = "192.0.2.77";
    const anonymous = (xff?: string) =>
      call(statsRoute.GET, "/api/stats/volume", { params: { chart: "volume" }, headers: { ...fromAddress(socket), ...(xff ? { "x-forwarded-for": xff } : {}) } });
    // Anonymous calls of a signed-in route count against the address, and end in 429.
    for (let i = 0; i < 5; i++) expect((await anonymous()).status).toBe(401);
    const spent = await anonymous();
    expect(spent.status).toBe(429);
    expect(spent.headers.get("retry-after")).toBeTruthy();
    for (const xff of FORGED) expect((await anonymous(xff)).status, xff).toBe(429);
    // Another real address is not held back.
    const other = await call(statsRoute.GET, "/api/stats/volume", { params: { chart: "volume" }, headers: fromAddress("192.0.2.78") });
    expect(other.status).toBe(401);

    // A failed password change is audited with the socket's address, never the claimed one.
    const { user, cookie } = await createTestUser("radiologist", { password: "the right password" });
    for (const xff of FORGED.slice(0, 2)) {
      const res = await call(passwordRoute.POST, "/api/account/password", {
        method: "POST",
        headers: { cookie, ...fromAddress("192.0.2.99"), "x-forwarded-for": xff },
        json: { currentPassword: "not it at all", newPassword: "a brand new password" },
      });
      expect(res.status).toBe(400);
    }
    const rows = await db
      .select({ ip: auditEvents.ip })
      .from(auditEvents)
      .where(and(eq(auditEvents.actorUserId, user.id), eq(auditEvents.action, "user.password_change_failed")));
    expect(rows.map((r) => r.ip)).toEqual(["192.0.2.99", "192.0.2.99"]);
  });
});
