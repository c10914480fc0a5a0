// Accounts for specs, made through the real user service (lib/users/service.ts) by the seed script.
// The global setup seeds one account per role (seededUsers); a spec that needs accounts of its own
// (e.g. to change them) calls createUsers.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import type { Role } from "../../lib/auth/roles";
import { e2eEnv } from "./e2e-env";


export interface SeededUser {
  id: string;
  role: Role;
  name: string;
  email: string;
  password: string;
}

/** Creates accounts in the test server's database: `createUsers([["radiologist", "Dr Who"]])`. */
export function createUsers(specs: [Role, string?][]): SeededUser[] {
  const env = e2eEnv();
  const args = specs.map(([role, name]) => `${role}:${name ?? ""}`);
  const run = spawnSync(process.execPath, ["--import", "tsx", "--conditions=react-server", "e2e/support/seed-users.ts", ...args], {
    encoding: "utf8",
    env: { ...process.env, DATABASE_URL: env.databaseUrl, DATA_DIR: env.dataDir, LOG_LEVEL: "warn" },
  });
  const line = run.stdout?.split("\n").find((l) => l.startsWith("SEEDED_USERS="));
  if (run.status !== 0 || !line) throw new Error(`seeding users failed (exit ${run.status}):\n${run.stderr}${run.stdout}`);
  return JSON.parse(line.slice("SEEDED_USERS=".length)) as SeededUser[];
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
