// The TOTP second factor of local accounts, on a server of this spec's own with production's default
// MFA_REQUIRED=admins (the shared server turns it off for the other specs' admin sign-ins): an admin is
// sent to the set-up, enrols with a code computed here from the key shown as text, and from then on
// cannot sign in without a code, can with one, never with the same one twice, and once with a recovery code.
import { expect, test } from "@playwright/test";
import { TOTP } from "otpauth";
import { AdminUsersPage } from "./pages/admin-pages";
import { AppShell } from "./pages/app-shell";
import { SignInPage } from "./pages/sign-in-page";
import { TwoFactorPage } from "./pages/two-factor-page";
import { OwnServer } from "./support/own-server";

let own: OwnServer;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  own = await OwnServer.create();
  await own.start({ MFA_REQUIRED: "admins" });
});

test.afterAll(async () => {
  await own?.dispose();
});

/** The authenticator app: the code for the step `stepsAhead` after the current one (never the enrolment's). */
const codeFor = (secret: string, stepsAhead: number) =>
  new TOTP({ secret, algorithm: "SHA1", digits: 6, period: 30 }).generate({ timestamp: Date.now() + stepsAhead * 30_000 });

test("an admin enrols TOTP, then signs in only with a code, never the same code twice, and once with a recovery code", async ({ browser }) => {
  const ctx = await browser.newContext({ baseURL: own.baseURL });
  const page = await ctx.newPage();
  const admin = own.users.admin;
  const signInPage = new SignInPage(page);
  const twoFactor = new TwoFactorPage(page);
  const shell = new AppShell(page);

  // The password alone lets the admin in only as far as the set-up.
  await signInPage.goto();
  await signInPage.attempt(admin.email, admin.password);
  await page.goto("/admin/users");
  await expect(page).toHaveURL(/\/account\/two-factor\?next=%2Fadmin%2Fusers/);
  await expect(twoFactor.mustEnrol).toBeVisible();
  await expect(shell.nav("admin")).toHaveCount(0);

  const secret = await twoFactor.startSetup();
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  await expect(twoFactor.qr).toBeVisible();
  await twoFactor.code.fill("000000" === codeFor(secret, 0) ? "111111" : "000000");
  await twoFactor.confirm.click();
  await expect(twoFactor.error).toContainText("not right");
  const recoveryCodes = await twoFactor.confirmWith(codeFor(secret, 0));
  expect(recoveryCodes).toHaveLength(10);
  await twoFactor.continue.click();
  await expect(page).toHaveURL(/\/admin\/users$/);
  await expect(new AdminUsersPage(page).row(admin.email).getByTestId("user-auth-method")).toHaveText("Password + authenticator");

  // Without a code: asked for one, not signed in.
  await shell.signOutButton.click();
  await expect(page).toHaveURL(/\/sign-in/);
  await signInPage.attempt(admin.email, admin.password);
  await expect(signInPage.code).toBeVisible();
  await expect(signInPage.error).toContainText("Enter the 6-digit code");
  await page.goto("/worklist");
  await expect(page).toHaveURL(/\/sign-in\?next=/);

  // With the next step's code (the enrolment spent the current one): signed in.
  const code = codeFor(secret, 1);
  await signInPage.attempt(admin.email, admin.password);
  await signInPage.enterCode(code);
  await expect(page).not.toHaveURL(/\/sign-in/);
  await expect(shell.currentUser).toContainText("admin");

  // The same code a second time: refused.
  await shell.signOutButton.click();
  await expect(page).toHaveURL(/\/sign-in/);
  await signInPage.attempt(admin.email, admin.password);
  await signInPage.enterCode(code);
  await expect(signInPage.error).toContainText("used already");
  await expect(page).toHaveURL(/\/sign-in/);

  // A recovery code: once.
  await signInPage.enterCode(recoveryCodes[0]);
  await expect(page).not.toHaveURL(/\/sign-in/);
  await expect(shell.currentUser).toContainText("admin");
  await shell.signOutButton.click();
  await expect(page).toHaveURL(/\/sign-in/);
  await signInPage.attempt(admin.email, admin.password);
  await signInPage.enterCode(recoveryCodes[0]);
  await expect(signInPage.error).toContainText("used already");
  await ctx.close();
});
