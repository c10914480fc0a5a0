// Accounts for specs. The run's first accounts, one per role (seededUsers), are made before the server
// starts (e2e/support/prepare-database.ts); a spec that needs accounts of its own (e.g. to change them)
// calls createUsers, which makes them through the running app as an admin and a new person would: the
// seeded admin creates each with a one-time password, and the new person signs in and replaces it.
// (The embedded database admits only the server, so the app is the one way in on every database.)
import crypto from "node:crypto";
import fs from "node:fs";
import { expect, request, type APIRequestContext } from "@playwright/test";
import type { Role } from "../../lib/core/roles";
import type { SeededUser } from "../../test/support/accounts";
import { e2eEnv } from "./e2e-env";
import { fromAppPage } from "./same-origin";

export type { SeededUser };

/** A request context signed in as `user` through next-auth's own endpoints (CSRF token and cookie included). */
export async function signedInRequest(user: { email: string; password: string }): Promise<APIRequestContext> {
  const api = await request.newContext({ baseURL: e2eEnv().baseURL });
  const { csrfToken } = (await (await api.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const res = await api.post("/api/auth/callback/credentials", { form: { csrfToken, email: user.email, password: user.password, json: "true" } });
  expect(res.status(), `sign-in of ${user.email}`).toBeLessThan(400);
  const session = (await (await api.get("/api/auth/session")).json()) as { user?: { email?: string } };
  expect(session.user?.email, `session of ${user.email}`).toBe(user.email);
  return api;
}

/** Creates accounts through the app: `await createUsers([["radiologist", "Dr Who"]])`. */
export async function createUsers(specs: [Role, string?][]): Promise<SeededUser[]> {
  const admin = await signedInRequest(seededUsers().admin);
  try {
    const out: SeededUser[] = [];
    for (const [role, given] of specs) {
      const name = given ?? `E2E ${role}`;
      const email = `${role}.${crypto.randomBytes(4).toString("hex")}@e2e.invalid`;
      const created = await admin.post("/api/admin/users", { headers: fromAppPage(), data: { email, name, role, method: "one_time_password" } });
      expect(created.status(), await created.text()).toBe(201);
      const { user, credential } = (await created.json()) as { user: { id: string }; credential: { method: string; password?: string } };
      expect(credential.method).toBe("one_time_password");
      const password = `e2e ${crypto.randomBytes(9).toString("base64url")}`;
      const person = await signedInRequest({ email, password: credential.password! });
      try {
        const changed = await person.post("/api/account/password", { headers: fromAppPage(), data: { currentPassword: credential.password, newPassword: password } });
        expect(changed.status(), await changed.text()).toBe(200);
      } finally {
        await person.dispose();
      }
      out.push({ id: user.id, role, name, email, password });
    }
    return out;
  } finally {
    await admin.dispose();
  }
}

/** The accounts made before the run: one admin, one radiologist, one patient. */
export function seededUsers(): Record<Role, SeededUser> {
  const all = JSON.parse(fs.readFileSync(e2eEnv().usersFile, "utf8")) as SeededUser[];
  const by = (role: Role) => {
    const u = all.find((x) => x.role === role);
    if (!u) throw new Error(`no seeded ${role}`);
    return u;
  };
  return { admin: by("admin"), radiologist: by("radiologist"), patient: by("patient") };
}
