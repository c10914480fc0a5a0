// `npm run setup`: everything a fresh machine needs before `npm start`, safe to run again:
//   1. database migrations (PostgreSQL from DATABASE_URL, else the embedded database in DATA_DIR)
//   2. the session-signing secret (AUTH_SECRET, else one generated once into DATA_DIR)
//   3. a first admin (ADMIN_EMAIL / ADMIN_PASSWORD, else a one-time password printed here)
//   4. a model: the trained release via model:fetch, else the untrained demo model (said plainly)
//   5. the production build of the web app, when there is none or the sources are newer
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { eq } from "drizzle-orm";
import { generateOneTimePassword, hashPassword } from "@/lib/auth/passwords";
import { authSecret } from "@/lib/auth/secret";
import { closeDb, db, dbKind } from "@/lib/db/client";
import { runMigrations } from "@/lib/db/migrate";
import { users } from "@/lib/db/schema";
import { DEMO_MODEL_DIR, env, TRAINED_MODEL_DIR } from "@/lib/env";
import { buildDemoModel } from "@/lib/model-builder/demo-model";
import { buildState, runProductionBuild } from "./build-state";
import { runCli } from "./cli-support";

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

async function ensureAdmin(): Promise<void> {
  const admins = await db.select({ id: users.id }).from(users).where(eq(users.role, "admin")).limit(1);
  if (admins.length > 0) return say("admin: an admin account exists already");
  const email = (env.ADMIN_EMAIL ?? "admin@example.com").toLowerCase();
  const password = env.ADMIN_PASSWORD ?? generateOneTimePassword();
  await db.insert(users).values({
    email,
    name: "Administrator",
    role: "admin",
    passwordHash: await hashPassword(password),
    mustChangePassword: !env.ADMIN_PASSWORD,
  });
  if (env.ADMIN_PASSWORD) say(`admin: created ${email} with the password from ADMIN_PASSWORD`);
  else say(`admin: created ${email}\n       one-time password: ${password}\n       (shown once; sign in and change it)`);
}

function hasModel(dir: string): boolean {
  return fs.existsSync(path.join(dir, "model.json")) && fs.existsSync(path.join(dir, "model.onnx"));
}

async function ensureModel(): Promise<void> {
  // MODEL_DIR pointing elsewhere than the two standard places is the operator's own choice: keep it.
  const custom = ![TRAINED_MODEL_DIR, DEMO_MODEL_DIR].includes(path.normalize(env.MODEL_DIR));
  if (custom && hasModel(env.MODEL_DIR)) return say(`model: using ${env.MODEL_DIR} (MODEL_DIR)`);
  if (hasModel(TRAINED_MODEL_DIR)) return say(`model: trained release installed in ${TRAINED_MODEL_DIR}`);
  say("model: fetching the trained TorchXRayVision release (npm run model:fetch) ...");
  const fetched = spawnSync("npm", ["run", "--silent", "model:fetch"], { stdio: "inherit" });
  if (fetched.status === 0 && hasModel(TRAINED_MODEL_DIR)) return say(`model: trained release installed in ${TRAINED_MODEL_DIR}`);
  if (hasModel(DEMO_MODEL_DIR)) {
    say(`model: NOTICE the trained release could not be fetched; the UNTRAINED demo model in ${DEMO_MODEL_DIR} stays active.`);
    return;
  }
  await buildDemoModel(DEMO_MODEL_DIR);
  say(
    `model: NOTICE the trained release could not be fetched, so the UNTRAINED demo model was built in ${DEMO_MODEL_DIR}.\n` +
      "       Its scores mean nothing medically; the app says so on every page. Run `npm run model:fetch` when online.",
  );
}

function ensureBuild(): void {
  const state = buildState();
  if (state === "fresh" && !process.argv.includes("--rebuild")) {
    return say("build: the production build is up to date (npm run setup -- --rebuild to rebuild)");
  }
  say(state === "stale" ? "build: sources changed since the last build; npm run build ..." : "build: npm run build ...");
  if (!runProductionBuild()) throw new Error("the build failed (see the output above)");
}

await runCli("usage: npm run setup [-- --rebuild] [--no-build]", async () => {
  await runMigrations();
  say(`database: migrations applied (${dbKind() === "pglite" ? `embedded, in ${path.resolve(env.DATA_DIR, "pglite")}` : "PostgreSQL from DATABASE_URL"})`);
  authSecret();
  say(env.AUTH_SECRET ? "auth: using AUTH_SECRET" : `auth: session secret kept in ${path.resolve(env.DATA_DIR, "auth-secret")}`);
  await ensureAdmin();
  await closeDb();
  await ensureModel();
  if (!process.argv.includes("--no-build")) ensureBuild();
  say(`\nready: npm start   (http://localhost:${env.PORT})`);
});
