// An admin runs the service: invites a radiologist who sets a password and signs in, disables
// them (their session ends at once), gives another a one-time password that only opens the password
// page until replaced, sees repeated wrong passwords lock that account, creates an API key that works
// and then is revoked, limits another key's requests per minute, reads the audit log and exports it, and checks the system page.
import crypto from "node:crypto";
import fs from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { AdminKeysPage, AdminUsersPage } from "./pages/admin-pages";
import { ChangePasswordPage } from "./pages/change-password-page";
import { SignInPage } from "./pages/sign-in-page";
import { signIn } from "./support/auth";
import { e2eEnv } from "./support/e2e-env";
import { seededUsers } from "./support/users";
import { fromAppPage } from "./support/same-origin";

test.describe.configure({ mode: "serial" });

const tag = crypto.randomBytes(3).toString("hex");
const invitee = { email: `invitee.${tag}@e2e.invalid`, password: `e2e password ${tag}` };
const newcomer = { email: `newcomer.${tag}@e2e.invalid`, password: `own password ${tag}` };
let admin: Page;

test.beforeAll(async ({ browser }) => {
  admin = await browser.newPage();
  await signIn(admin, seededUsers().admin);
});
test.afterAll(async () => {
  await admin.close();
});

test("the admin console is reachable from the shell", async () => {
  await admin.getByTestId("nav-admin").click();
  await expect(admin).toHaveURL(/\/admin\/users$/);
  await expect(admin.getByTestId("users-table")).toContainText(seededUsers().radiologist.email);
});

test("an invited radiologist sets a password through the link, once, and signs in", async ({ browser }) => {
  const users = new AdminUsersPage(admin);
  await users.create(invitee.email, "radiologist", "invitation");
  const link = (await users.secret.textContent())!.trim();
  expect(link).toMatch(/\/invite#[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
  await expect(users.row(invitee.email)).toContainText("Invited, no password yet");

  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(link);
  await page.getByTestId("invite-password").fill(invitee.password);
  await page.getByTestId("invite-confirm").fill(invitee.password);
  await page.getByTestId("invite-submit").click();
  await expect(page.getByTestId("invite-done")).toBeVisible();
  // The token left the address bar, and the link does not work twice.
  expect(page.url()).not.toContain("#");
  const again = await context.newPage();
  await again.goto(link);
  await again.getByTestId("invite-password").fill("another password 1234");
  await again.getByTestId("invite-confirm").fill("another password 1234");
  await again.getByTestId("invite-submit").click();
  await expect(again.getByTestId("invite-error")).toContainText("already been used");
  await again.close();

  await signIn(page, invitee);
  await page.goto("/worklist");
  await expect(page.getByTestId("worklist-page")).toBeVisible();

  // Disabled by the admin: the open session stops working on its next request.
  await admin.reload();
  await users.row(invitee.email).getByTestId("user-toggle-disabled").click();
  await expect(users.row(invitee.email)).toContainText("Disabled");
  await page.goto("/worklist");
  await expect(page).toHaveURL(/\/sign-in/);
  await context.close();
});

test("a one-time password opens only the password page until the person chooses their own", async ({ browser }) => {
  const users = new AdminUsersPage(admin);
  await users.goto();
  await users.create(newcomer.email, "radiologist", "one_time_password");
  const oneTime = (await users.secret.textContent())!.trim();
  await expect(users.row(newcomer.email)).toContainText("Must change password");

  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, { email: newcomer.email, password: oneTime });
  await expect(page).toHaveURL(/\/account\/password$/);
  const change = new ChangePasswordPage(page);
  await expect(change.mustChangeNotice).toBeVisible();
  await expect(page.getByTestId("nav-worklist")).toHaveCount(0);
  // Other pages lead back here, remembering where the person was going; the API says why.
  await page.goto("/worklist");
  await expect(page).toHaveURL(/\/account\/password\?next=%2Fworklist$/);
  const held = await page.request.post("/api/worklist", { headers: fromAppPage(), data: {} });
  expect(held.status()).toBe(403);
  expect((await held.json()).detail).toContain("Choose a new password before continuing");

  await change.change(oneTime, newcomer.password);
  await expect(page).toHaveURL(/\/worklist$/);
  await expect(page.getByTestId("worklist-page")).toBeVisible();
  await page.getByTestId("nav-upload").click();
  await expect(page.getByTestId("upload-dropzone")).toBeVisible();
  await context.close();
  await admin.reload();
  await expect(users.row(newcomer.email)).toContainText("Active");
});

test("five wrong passwords lock the account for 15 minutes, even for the right one, and the refusal is audited", async ({ browser }) => {
  const page = await browser.newPage();
  const signInPage = new SignInPage(page);
  await signInPage.goto();
  for (let i = 1; i <= 5; i++) {
    expect(await signInPage.attempt(newcomer.email, `wrong password ${i}`)).toBe(401);
    await expect(signInPage.error).toHaveText("The email or password is not right, or the account is disabled.");
  }
  expect(await signInPage.attempt(newcomer.email, newcomer.password)).toBe(401);
  await expect(signInPage.error).toHaveText("Too many failed sign-ins. Try again in 15 minutes.");
  await expect(page).toHaveURL(/\/sign-in/);
  await page.close();

  await admin.goto("/admin/audit?action=auth.sign_in_throttled");
  await expect(admin.getByTestId("audit-row")).toHaveCount(1);
});

test("an API key is shown once, works with its scopes, and stops working when revoked", async ({ playwright, baseURL }) => {
  const keys = new AdminKeysPage(admin);
  await keys.goto();
  await keys.create(`e2e key ${tag}`, seededUsers().radiologist.email, ["analyses:read"]);
  const key = (await admin.getByTestId("secret-value").textContent())!.trim();
  expect(key).toMatch(/^cxr_[a-z0-9]{10}_[A-Za-z0-9_-]{32}$/);
  const prefix = key.slice(0, 14);

  const api = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${key}` } });
  expect((await api.get("/api/v1/models")).status()).toBe(200);
  const write = await api.post("/api/v1/analyses", { multipart: { file: { name: "x.png", mimeType: "image/png", buffer: Buffer.from("x") } } });
  expect(write.status()).toBe(403);
  expect((await write.json()).detail).toContain("lacks the scope analyses:write");

  await admin.reload();
  await expect(keys.row(prefix)).toContainText("never"); // no expiry
  await expect(keys.row(prefix).getByTestId("key-status")).toHaveText("active");
  admin.once("dialog", (d) => void d.accept());
  await keys.row(prefix).getByTestId("key-revoke").click();
  await expect(keys.row(prefix).getByTestId("key-status")).toHaveText("revoked");
  const revoked = await api.get("/api/v1/models");
  expect(revoked.status()).toBe(401);
  expect((await revoked.json()).detail).toContain("revoked");
  await api.dispose();
  // The secret is nowhere on the page any more.
  await admin.reload();
  await expect(admin.locator("body")).not.toContainText(key);
});

test("a limit an admin sets on a key applies to it at once", async ({ playwright, baseURL }) => {
  const keys = new AdminKeysPage(admin);
  await keys.goto();
  await keys.create(`e2e limited ${tag}`, seededUsers().radiologist.email, ["analyses:read"]);
  const key = (await admin.getByTestId("secret-value").textContent())!.trim();
  const prefix = key.slice(0, 14);
  await admin.reload();
  await keys.setRateLimit(prefix, "1");
  await expect(keys.row(prefix).getByTestId("key-rate-limit-input")).toHaveValue("1");
  await expect(keys.row(prefix).getByTestId("key-rate-limit-save")).toHaveCount(0);

  const api = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${key}` } });
  expect((await api.get("/api/v1/models")).status()).toBe(200);
  const refused = await api.get("/api/v1/models");
  expect(refused.status()).toBe(429);
  expect(Number(refused.headers()["retry-after"])).toBeGreaterThan(50); // 1 per minute
  expect((await refused.json()).detail).toContain("with this API key");
  await api.dispose();
});

test("the audit log shows who did what, filters by action and exports CSV", async () => {
  await admin.goto("/admin/audit?action=api_key.");
  const rows = admin.getByTestId("audit-row");
  await expect(rows.first()).toBeVisible();
  const actions = await rows.evaluateAll((els) => els.map((e) => e.getAttribute("data-action")));
  expect(new Set(actions)).toEqual(new Set(["api_key.create", "api_key.revoke", "api_key.set_rate_limit"]));
  await expect(admin.getByTestId("audit-table")).toContainText(seededUsers().admin.email);

  const download = admin.waitForEvent("download");
  await admin.getByTestId("audit-export").click();
  const csv = fs.readFileSync((await (await download).path())!, "utf8");
  expect(csv.split("\r\n")[0]).toBe("id,at,action,actor_email,actor_user_id,api_key,target_type,target_id,ip,user_agent,details");
  expect(csv).toContain(",api_key.revoke,");
  expect(csv).not.toContain(",user.create,");

  await admin.goto("/admin/audit?action=user.");
  await expect(admin.getByTestId("audit-table")).toContainText("user.invitation_accepted");
  await expect(admin.getByTestId("audit-table")).toContainText("user.disable");
});

test("the system page shows the model, the queue and the database", { tag: "@postgres" }, async () => {
  await admin.goto("/admin/system");
  await expect(admin.getByTestId("system-model-name")).toHaveText("densenet121-res224-all-demo");
  await expect(admin.getByTestId("system-model-trained")).toHaveText("no (demo)");
  await expect(admin.getByTestId("system-untrained")).toBeVisible();
  // Float32 serves by default; without an int8 model and a saved comparison there is nothing to choose.
  await expect(admin.getByTestId("system-precision-serving")).toHaveText("fp32");
  await expect(admin.getByTestId("system-precision-requested")).toHaveText("fp32");
  await expect(admin.getByTestId("system-precision-compared")).toContainText("none saved");
  // The database this run's server was started on (playwright.config.ts).
  await expect(admin.getByTestId("system-database-kind")).toHaveText(e2eEnv().database === "postgres" ? "PostgreSQL" : "Embedded PGlite");
  await expect(admin.getByTestId("system-queue-max")).toHaveText("10000");
  await expect(admin.getByTestId("system-queue-waiting")).toHaveText(/^\d+$/);
  // The web process's own worker has attached (its first heartbeat comes within seconds of the start).
  await expect(async () => {
    await admin.reload();
    expect(Number(await admin.getByTestId("system-queue-workers").textContent())).toBeGreaterThanOrEqual(1);
  }).toPass({ timeout: 30_000 });
  // No PACS configured for the e2e server: the card says so instead of counting deliveries.
  await expect(admin.getByTestId("system-pacs-target")).toContainText("not configured");
});
