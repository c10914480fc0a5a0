// Run by the Playwright global setup as `tsx --conditions=react-server e2e/support/seed-users.ts ROLE:NAME ...`
// with the test server's DATABASE_URL and DATA_DIR: creates each account through the real user service
// (the path an admin takes) and prints them, with their one-time passwords, as one JSON line on stdout
// marked with SEEDED_USERS= (log lines may share stdout).
import { closeDb } from "@/lib/db/client";
import { createUser } from "@/lib/users/service";
import { roles } from "@/lib/users/schema";
import crypto from "node:crypto";

type Role = (typeof roles)[number];

const out: { role: Role; name: string; email: string; password: string; id: string }[] = [];
try {
  for (const arg of process.argv.slice(2)) {
    const [role, ...rest] = arg.split(":");
    if (!roles.includes(role as Role)) throw new Error(`unknown role "${role}"`);
    const name = rest.join(":") || `E2E ${role}`;
    const email = `${role}.${crypto.randomBytes(4).toString("hex")}@e2e.invalid`;
    const { user, credential } = await createUser({ actor: null, input: { email, name, role: role as Role, method: "one_time_password" } });
    if (credential.method !== "one_time_password") throw new Error("expected a one-time password");
    out.push({ role: role as Role, name, email, password: credential.password, id: user.id });
  }
  process.stdout.write(`\nSEEDED_USERS=${JSON.stringify(out)}\n`);
} finally {
  await closeDb();
}
