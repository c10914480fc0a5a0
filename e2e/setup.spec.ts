// The operator's first run: the README's commands on an empty machine state. `npm run setup`
// with no DATABASE_URL and an empty DATA_DIR creates the embedded database, the session secret, the
// first admin (printing a one-time password) and a model; `npm start` serves the built app on PORT; the
// admin signs in with the printed password and is held at the password page until choosing their own,
// then at the second-factor set-up (admins need one by default, MFA_REQUIRED=admins).
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { TOTP } from "otpauth";
import { buildState } from "../lib/cli/build-state";
import { freePort } from "../test/support/free-port";
import { AppShell } from "./pages/app-shell";
import { ChangePasswordPage } from "./pages/change-password-page";
import { SignInPage } from "./pages/sign-in-page";
import { TwoFactorPage } from "./pages/two-factor-page";

/** A fresh machine's environment: none of the settings a test run or a developer may have exported. */
function freshEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of Object.keys(env)) {
    if (/^(DATABASE_URL|DATA_DIR|STORAGE_DIR|MODEL_DIR|ADMIN_EMAIL|ADMIN_PASSWORD|AUTH_SECRET|PUBLIC_URL|PORT|NODE_ENV|MFA_REQUIRED|LOCAL_PASSWORDS|OIDC_.*|E2E_.*)$/.test(key)) delete env[key];
  }
  return { ...env, ...extra };
}

function runToEnd(cmd: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { env, detached: true });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    const timer = setTimeout(() => process.kill(-child.pid!, "SIGKILL"), timeoutMs);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

async function waitForHealth(url: string, server: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`npm start exited with ${server.exitCode}:\n${log()}`);
    const ok = await fetch(url).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`the app did not answer ${url} within 90 s:\n${log()}`);
}

test("npm run setup on an empty embedded database, then npm start, then the first admin signs in and sets a password", async ({ page }) => {
  test.setTimeout(300_000);
  // Setup rebuilds a stale build; during this run the same build serves the other specs, so rebuilding
  // it here would pull it from under them. That only happens when sources change mid-run (never in CI).
  test.skip(buildState() !== "fresh", "SKIPPED: sources changed after this run's build; rerun npm run test:e2e");

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "cxr-setup-e2e-"));
  const port = await freePort();
  const env = freshEnv({ DATA_DIR: dataDir, PORT: String(port) });
  let server: ChildProcess | undefined;
  try {
    const setup = await runToEnd("npm", ["run", "setup"], env, 240_000);
    expect(setup.code, setup.output).toBe(0);
    expect(setup.output).toContain("database: migrations applied (embedded");
    expect(fs.existsSync(path.join(dataDir, "pglite"))).toBe(true);
    expect(fs.existsSync(path.join(dataDir, "auth-secret"))).toBe(true);
    expect(setup.output).toMatch(/model: (trained release installed|NOTICE .*UNTRAINED demo model)/);
    const admin = setup.output.match(/admin: created (\S+)\s+one-time password: (\S+)/);
    expect(admin, setup.output).not.toBeNull();
    const [, email, password] = admin!;

    // Running it again changes nothing and creates no second admin.
    const again = await runToEnd("npm", ["run", "setup"], env, 240_000);
    expect(again.code, again.output).toBe(0);
    expect(again.output).toContain("admin: an admin account exists already");

    let log = "";
    server = spawn("npm", ["start"], { env, detached: true });
    server.stdout!.on("data", (d) => (log += d));
    server.stderr!.on("data", (d) => (log += d));
    const base = `http://localhost:${port}`;
    await waitForHealth(`${base}/api/health`, server, () => log);
    const health = (await (await fetch(`${base}/api/health`)).json()) as { status: string; model: { installed: boolean } };
    expect(health).toMatchObject({ status: "ok", model: { installed: true } });

    // The embedded database has one writer: while the app runs, a writing command and a second server on
    // the same DATA_DIR are refused with what to do instead, and the running app is unharmed.
    const keyWhileRunning = await runToEnd(
      "npm",
      ["run", "-s", "apikey:create", "--", "--email", email, "--name", "while running", "--scopes", "analyses:read"],
      env,
      60_000,
    );
    expect(keyWhileRunning.code, keyWhileRunning.output).toBe(1);
    expect(keyWhileRunning.output).toContain("is in use by another process (npm start");
    expect(keyWhileRunning.output).toContain("DATABASE_URL");
    const secondServer = await runToEnd("npm", ["start"], { ...env, PORT: String(await freePort()) }, 60_000);
    expect(secondServer.code, secondServer.output).toBe(1);
    expect(secondServer.output).toContain("is in use by another process (npm start");
    expect((await fetch(`${base}/sign-in`)).status).toBe(200);

    await page.goto(`${base}/`);
    await expect(page).toHaveURL(/\/sign-in/);
    const signIn = new SignInPage(page);
    await signIn.signIn(email, password);
    // A one-time password only opens the password page, whatever page is asked for.
    await expect(page).toHaveURL(`${base}/account/password`);
    const change = new ChangePasswordPage(page);
    await expect(change.mustChangeNotice).toBeVisible();
    await page.goto(`${base}/admin/users`);
    await expect(page).toHaveURL(`${base}/account/password?next=%2Fadmin%2Fusers`);
    // Once the password is their own, an admin sets up a second factor, then reaches the page asked for.
    await change.change(password, "the first admin's own password");
    await expect(page).toHaveURL(`${base}/account/two-factor?next=%2Fadmin%2Fusers`);
    const twoFactor = new TwoFactorPage(page);
    await expect(twoFactor.mustEnrol).toBeVisible();
    const secret = await twoFactor.startSetup();
    const codes = await twoFactor.confirmWith(new TOTP({ secret, algorithm: "SHA1", digits: 6, period: 30 }).generate());
    expect(codes).toHaveLength(10);
    await twoFactor.continue.click();
    await expect(page).toHaveURL(`${base}/admin/users`);
    const shell = new AppShell(page);
    await expect(shell.currentUser).toContainText("admin");
    await expect(shell.nav("admin")).toBeVisible();
    await shell.nav("upload").click();
    await expect(page.getByTestId("upload-dropzone")).toBeVisible();
  } finally {
    if (server?.pid && server.exitCode === null) {
      const exited = new Promise((r) => server!.once("exit", r));
      process.kill(-server.pid, "SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
