// Accounts and API keys made in a test server's database through the app's own services, by running
// the project's scripts against it (./seed-users.ts and `npm run apikey:create`), so a test or a
// benchmark in another process gets real users with passwords and real keys without importing the app.
import { spawnSync } from "node:child_process";
import type { Role } from "@/lib/core/roles";

export interface SeededUser {
  id: string;
  role: Role;
  name: string;
  email: string;
  password: string;
}

/** The app's database (and data directory, for its generated secrets) that the accounts are made in. */
export interface AccountTarget {
  /** PostgreSQL; unset: the embedded database in dataDir (which no running server may hold). */
  databaseUrl: string | undefined;
  dataDir: string;
  /** Further settings the app needs there (e.g. the AUTH_SECRET of a cluster). */
  env?: Record<string, string>;
}

const TSX = ["--import", "tsx", "--conditions=react-server"];

function run(target: AccountTarget, args: string[]) {
  return spawnSync(process.execPath, [...TSX, ...args], {
    encoding: "utf8",
    env: { ...process.env, ...target.env, DATABASE_URL: target.databaseUrl, DATA_DIR: target.dataDir, LOG_LEVEL: "warn" },
  });
}

/** Creates accounts with passwords of their own: `seedUsers(target, [["radiologist", "Dr Who"]])`. */
export function seedUsers(target: AccountTarget, specs: [Role, string?][]): SeededUser[] {
  const out = run(target, ["test/support/seed-users.ts", ...specs.map(([role, name]) => `${role}:${name ?? ""}`)]);
  const line = out.stdout?.split("\n").find((l) => l.startsWith("SEEDED_USERS="));
  if (out.status !== 0 || !line) throw new Error(`seeding users failed (exit ${out.status}):\n${out.stderr}${out.stdout}`);
  return JSON.parse(line.slice("SEEDED_USERS=".length)) as SeededUser[];
}

export interface ApiKeyRequest {
  /** The owner: an existing account. */
  email: string;
  name?: string;
  scopes: string[];
  /** Requests per minute for this key alone; unset: the server's RATE_LIMIT_PER_KEY. */
  rateLimitPerMinute?: number;
}

/** Creates an API key through `npm run apikey:create` and returns the secret. */
export function createApiKey(target: AccountTarget, request: ApiKeyRequest): string {
  const args = ["lib/cli/apikey-create.ts", "--email", request.email, "--name", request.name ?? "test", "--scopes", request.scopes.join(",")];
  if (request.rateLimitPerMinute !== undefined) args.push("--rate-limit", String(request.rateLimitPerMinute));
  const out = run(target, args);
  const key = out.stdout.trim();
  if (out.status !== 0 || !key.startsWith("cxr_")) throw new Error(`could not create an API key (exit ${out.status}): ${out.stderr}`);
  return key;
}
