// Security suite: cross-site request forgery. A page on another origin (here another port of the same
// host) used to create an admin with a text/plain form, because JSON was parsed whatever the type.
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import * as usersRoute from "@/app/api/admin/users/route";
import * as signOffRoute from "@/app/api/analyses/[id]/review/sign-off/route";
import * as v1Route from "@/app/api/v1/analyses/route";
import { db } from "@/lib/db/client";
import { users } from "@/lib/db/schema";
import { createTestKey, createTestUser, type TestUser } from "@/test/support/principals";

const APP = "http://localhost:3000";

/** A request as the browser sends it when a page at `from` submits to the app with the person's cookie. */
function fromPage(path: string, init: { from: string; cookie: string; type: string; body: string; fetchSite?: string }) {
  const headers = new Headers({ host: "localhost:3000", origin: init.from, cookie: init.cookie, "content-type": init.type });
  if (init.fetchSite) headers.set("sec-fetch-site", init.fetchSite);
  return new Request(new URL(path, APP), { method: "POST", headers, body: init.body });
}

const noParams = { params: Promise.resolve({}) };

describe("security: CSRF", () => {
  let admin: TestUser;
  beforeAll(async () => {
    admin = await createTestUser("admin");
  });

  it("refuses a text/plain form from another origin that would create an admin, and creates nobody", async () => {
    const email = `csrf-${Date.now()}@example.org`;
    // What <form enctype="text/plain"><input name='{"email":"...","role":"admin","x":"' value='"}'> sends.
    const body = `{"email":"${email}","role":"admin","x":"="}`;
    const crossSite = await usersRoute.POST(
      fromPage("/api/admin/users", { from: "http://localhost:3001", cookie: admin.cookie, type: "text/plain", body, fetchSite: "same-site" }),
      noParams,
    );
    expect(crossSite.status).toBe(403);
    expect((await crossSite.json()).code).toBe("cross_origin_request");

    // JSON from that origin is refused as well (a browser would need CORS to send it, but a check on the
    // type alone is not enough), and a form from the app's own origin still is not JSON.
    const crossJson = await usersRoute.POST(fromPage("/api/admin/users", { from: "http://localhost:3001", cookie: admin.cookie, type: "application/json", body }), noParams);
    expect(crossJson.status).toBe(403);
    const ownForm = await usersRoute.POST(fromPage("/api/admin/users", { from: APP, cookie: admin.cookie, type: "text/plain", body }), noParams);
    expect(ownForm.status).toBe(415);
    const noOrigin = await usersRoute.POST(
      new Request(`${APP}/api/admin/users`, { method: "POST", headers: { host: "localhost:3000", cookie: admin.cookie, "content-type": "application/json" }, body }),
      noParams,
    );
    expect(noOrigin.status).toBe(403);
    expect(await db.select().from(users).where(eq(users.email, email))).toHaveLength(0);

    // The app's own page (Origin, or only Sec-Fetch-Site when the Origin is withheld) gets through.
    const own = await usersRoute.POST(fromPage("/api/admin/users", { from: APP, cookie: admin.cookie, type: "application/json", body }), noParams);
    expect(own.status).toBe(201);
    const withheld = new Request(`${APP}/api/admin/users`, {
      method: "POST",
      headers: { origin: "null", "sec-fetch-site": "same-origin", cookie: admin.cookie, "content-type": "application/json; charset=utf-8" },
      body: JSON.stringify({ email: `x${email}`, role: "patient" }),
    });
    expect((await usersRoute.POST(withheld, noParams)).status).toBe(201);
  });

  it("guards sign-off the same way, and leaves API-key clients (no cookies, no Origin) alone", async () => {
    const reader = await createTestUser("radiologist");
    const forged = await signOffRoute.POST(
      fromPage("/api/analyses/x/review/sign-off", { from: "http://evil.localhost:3000", cookie: reader.cookie, type: "text/plain", body: "{}" }),
      { params: Promise.resolve({ id: "00000000-0000-4000-8000-000000000000" }) },
    );
    expect(forged.status).toBe(403);

    const { key } = await createTestKey(reader.user);
    const form = new FormData();
    form.append("file", new Blob([new Uint8Array([1, 2, 3])], { type: "image/png" }), "x.png");
    const res = await v1Route.POST(new Request(`${APP}/api/v1/analyses`, { method: "POST", headers: { authorization: `Bearer ${key}` }, body: form }), noParams);
    // Refused for the file, not for where it came from.
    expect(res.status).not.toBe(403);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect((await res.json()).code).not.toBe("cross_origin_request");
  });
});
