// Integration: a reader's preferences are kept with their account (session cookie -> defineRoute ->
// PostgreSQL): defaults until set, a change merged with the rest, another reader's untouched, bad input 400.
import crypto from "node:crypto";
import { encode } from "next-auth/jwt";
import { beforeAll, describe, expect, it } from "vitest";
import * as preferencesRoute from "@/app/api/account/preferences/route";
import type { Principal } from "@/lib/auth/principal";
import { authSecret } from "@/lib/auth/secret";
import { seedUser } from "@/test/support/triage/seed";
import { browserRequest } from "@/test/support/principals";

async function cookieFor(p: Principal): Promise<string> {
  const token = await encode({ token: { uid: p.userId, sv: 0, sid: crypto.randomUUID() }, secret: authSecret() });
  return `next-auth.session-token=${token}`;
}

const req = (init?: Parameters<typeof browserRequest>[1]) => browserRequest("/api/account/preferences", init, "http://localhost");

describe("reader preferences", () => {
  let me: string;
  let other: string;

  beforeAll(async () => {
    me = await cookieFor(await seedUser("radiologist", "Prefs reader"));
    other = await cookieFor(await seedUser("admin", "Other prefs reader"));
  });

  it("starts from the defaults and keeps each change with the account", async () => {
    expect(await (await preferencesRoute.GET(req({ cookie: me }))).json()).toEqual({ singleKeyShortcuts: true, heatmapOnOpen: false });
    const off = await preferencesRoute.PUT(req({ method: "PUT", cookie: me, body: { singleKeyShortcuts: false } }));
    expect(off.status).toBe(200);
    expect(await off.json()).toEqual({ singleKeyShortcuts: false, heatmapOnOpen: false });
    // A second change keeps the first.
    await preferencesRoute.PUT(req({ method: "PUT", cookie: me, body: { heatmapOnOpen: true } }));
    expect(await (await preferencesRoute.GET(req({ cookie: me }))).json()).toEqual({ singleKeyShortcuts: false, heatmapOnOpen: true });
    expect(await (await preferencesRoute.GET(req({ cookie: other }))).json()).toEqual({ singleKeyShortcuts: true, heatmapOnOpen: false });
  });

  it("refuses a malformed, empty or unknown setting with 400", async () => {
    for (const body of [{ singleKeyShortcuts: "off" }, {}, { theme: "dark" }]) {
      const res = await preferencesRoute.PUT(req({ method: "PUT", cookie: me, body }));
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
    }
  });
});
