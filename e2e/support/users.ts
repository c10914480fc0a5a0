// Accounts for specs, made through the real user service (lib/users/service.ts) by the seed script
// (lib/testing/seed-users.ts).
// The global setup seeds one account per role (seededUsers); a spec that needs accounts of its own
// (e.g. to change them) calls createUsers.
import fs from "node:fs";
import type { Role } from "../../lib/auth/roles";
import { seedUsers, type SeededUser } from "../../lib/testing/accounts";
import { e2eEnv } from "./e2e-env";

export type { SeededUser };

/** Creates accounts in the test server's database: `createUsers([["radiologist", "Dr Who"]])`. */
export function createUsers(specs: [Role, string?][]): SeededUser[] {
  const env = e2eEnv();
  return seedUsers({ databaseUrl: env.databaseUrl, dataDir: env.dataDir }, specs);
}

/** The accounts the global setup made: one admin, one radiologist, one patient. */
export function seededUsers(): Record<Role, SeededUser> {
  const all = JSON.parse(fs.readFileSync(e2eEnv().usersFile, "utf8")) as SeededUser[];
  const by = (role: Role) => {
    const u = all.find((x) => x.role === role);
    if (!u) throw new Error(`no seeded ${role}`);
    return u;
  };
  return { admin: by("admin"), radiologist: by("radiologist"), patient: by("patient") };
}
