// A fresh install on one machine, with no PUBLIC_URL: `npm start` serves links for other people on the
// address it listens on, so the admin's first action (inviting a user) works and the link opens; the
// System page says where links point. Listening on another address without PUBLIC_URL refuses to start
// with a message saying what to set.
import { spawnSync } from "node:child_process";
import { expect, test } from "@playwright/test";
import { AdminUsersPage } from "./pages/admin-pages";
import { signIn } from "./support/auth";
import { OwnServer } from "./support/own-server";

let own: OwnServer;

test.beforeAll(async () => {
  own = await OwnServer.create();
  await own.start({}, { unset: ["PUBLIC_URL"] });
});

test.afterAll(async () => {
  await own?.dispose();
});

test("a fresh install with no PUBLIC_URL invites a user, and the invitation link works", async ({ browser }) => {
  expect(own.log).toContain(`invitation and patient links will point at ${own.baseURL}`);
  const context = await browser.newContext({ baseURL: own.baseURL });
  const admin = await context.newPage();
  await signIn(admin, own.users.admin);

  const email = `first.${Date.now()}@e2e.invalid`;
  const users = new AdminUsersPage(admin);
  await users.goto();
  await users.create(email, "radiologist", "invitation");
  const link = (await users.secret.textContent())!.trim();
  expect(link.startsWith(`${own.baseURL}/invite#`), link).toBe(true);

  const invitee = await (await browser.newContext({ baseURL: own.baseURL })).newPage();
  await invitee.goto(link);
  const password = "first run password 2026";
  await invitee.getByTestId("invite-password").fill(password);
  await invitee.getByTestId("invite-confirm").fill(password);
  await invitee.getByTestId("invite-submit").click();
  await expect(invitee.getByTestId("invite-done")).toBeVisible();
  await signIn(invitee, { email, password });
  await expect(invitee.getByTestId("current-user")).toContainText("radiologist");
  await invitee.context().close();

  await admin.goto("/admin/system");
  await expect(admin.getByTestId("system-public-url")).toContainText(own.baseURL);
  await expect(admin.getByTestId("system-public-url")).toContainText("set PUBLIC_URL for others");
  await context.close();
});

test("listening on a non-loopback address without PUBLIC_URL refuses to start, saying what to set", () => {
  const env = own.settings;
  delete env.PUBLIC_URL;
  const started = spawnSync(process.execPath, ["--import", "tsx", "--conditions=react-server", "lib/cli/start.ts", "-H", "192.0.2.10"], { env, encoding: "utf8", timeout: 60_000 });
  expect(started.status).toBe(1);
  expect(started.stderr).toContain("Set PUBLIC_URL");
});
