// Run by seedUsers (./accounts.ts) as `tsx --conditions=react-server test/support/seed-users.ts ROLE:NAME ...`
// with the test server's DATABASE_URL and DATA_DIR: creates each account through the real user service
// (the path an admin takes, with a one-time password), then replaces that password through the real
// password change (the step every new person is held at on first sign-in), and prints the accounts
// with their own passwords as one JSON line on stdout marked with SEEDED_USERS= (log lines may share
// stdout). Specs about the one-time-password step make such an account through the admin console.
import crypto from "node:crypto";
import { closeDb } from "@/lib/db/client";
import { changeOwnPassword } from "@/lib/users/change-password";
import { createUser } from "@/lib/users/service";
import { ROLES, type Role } from "@/lib/core/roles";

const out: { role: Role; name: string; email: string; password: string; id: string }[] = [];
try {
  for (const arg of process.argv.slice(2)) {
    const [role, ...rest] = arg.split(":");
    if (!ROLES.includes(role as Role)) throw new Error(`unknown role "${role}"`);
    const name = rest.join(":") || `E2E ${role}`;
    const email = `${role}.${crypto.randomBytes(4).toString("hex")}@e2e.invalid`;
    const { user, credential } = await createUser({ actor: null, input: { email, name, role: role as Role, method: "one_time_password" } });
    if (credential.method !== "one_time_password") throw new Error("expected a one-time password");
    const password = `e2e ${crypto.randomBytes(9).toString("base64url")}`;
    const actor = { kind: "user" as const, userId: user.id, email: user.email, name: user.name, role: user.role };
    await changeOwnPassword({ actor, currentPassword: credential.password, newPassword: password });
    out.push({ role: role as Role, name, email, password, id: user.id });
  }
  process.stdout.write(`\nSEEDED_USERS=${JSON.stringify(out)}\n`);
} finally {
  await closeDb();
}
