// Single sign-on through a real OpenID Provider (oidc-provider, started here on a free port with two
// people: one in a mapped group, one not), against a server of this spec's own configured for it: its
// login page, the role from the group claim, refusal, a role changed at the provider, and sign-out of
// both sessions (RP-initiated logout).
import { expect, test, type Browser } from "@playwright/test";
import { startTestOidcProvider, type TestOidcProvider } from "../test/support/oidc-provider";
import { AdminUsersPage } from "./pages/admin-pages";
import { AppShell } from "./pages/app-shell";
import { SignInPage } from "./pages/sign-in-page";
import { TestProviderPages } from "./pages/test-provider-login";
import { OwnServer } from "./support/own-server";

test.describe.configure({ mode: "serial" });

let own: OwnServer;
let op: TestOidcProvider;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  own = await OwnServer.create();
  op = await startTestOidcProvider({
    accounts: [
      { sub: "ada", email: "ada.reader@hospital.test", name: "Ada Reader", groups: ["cxr-radiologists", "all-staff"] },
      { sub: "bob", email: "bob.visitor@hospital.test", name: "Bob Visitor", groups: ["all-staff"] },
    ],
    clients: [
      {
        clientId: "cxr-assist",
        clientSecret: "e2e-client-secret-e2e-client-secret",
        redirectUris: [`${own.baseURL}/api/auth/callback/oidc`],
        postLogoutRedirectUris: [`${own.baseURL}/sign-in`],
      },
    ],
  });
  await own.start({
    OIDC_ISSUER: op.issuer,
    OIDC_CLIENT_ID: "cxr-assist",
    OIDC_CLIENT_SECRET: "e2e-client-secret-e2e-client-secret",
    OIDC_NAME: "Hospital ID",
    OIDC_SCOPES: "openid email profile groups",
    OIDC_ROLE_MAP: "cxr-admins=admin,cxr-radiologists=radiologist",
  });
});

test.afterAll(async () => {
  await own?.dispose();
  await op?.close();
});

async function newPage(browser: Browser) {
  const ctx = await browser.newContext({ baseURL: own.baseURL });
  return ctx.newPage();
}

test("sign-in through the provider lands on the worklist with the mapped role; sign-out ends both sessions; a changed group applies at the next sign-in", async ({ browser }) => {
  const page = await newPage(browser);
  const signInPage = new SignInPage(page);
  const providerPages = new TestProviderPages(page);
  const shell = new AppShell(page);

  await page.goto("/worklist");
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fworklist/);
  await expect(signInPage.ssoButton).toHaveText("Sign in with Hospital ID");
  // Local passwords are on by default: the form stays beside the button.
  await expect(signInPage.form).toBeVisible();
  await signInPage.ssoButton.click();
  await expect(providerPages.loginForm()).toBeVisible();
  expect(page.url().startsWith(op.issuer)).toBe(true);
  await providerPages.logIn("ada");

  await expect(page).toHaveURL(`${own.baseURL}/worklist`);
  await expect(page.getByTestId("worklist-page")).toBeVisible();
  await expect(shell.currentUser).toHaveText("Ada Reader · radiologist");

  // Sign-out: the app's session, then the provider's (its own confirmation page), back to our sign-in.
  await shell.signOutButton.click();
  await providerPages.confirmLogout();
  await expect(page).toHaveURL(/\/sign-in$/);
  expect(page.url().startsWith(own.baseURL)).toBe(true);
  await page.goto("/worklist");
  await expect(page).toHaveURL(/\/sign-in\?next=/);

  // The group changes at the provider; the provider asks for the login again (its session ended too).
  op.accounts.get("ada")!.groups = ["cxr-admins"];
  await signInPage.ssoButton.click();
  await expect(providerPages.loginForm()).toBeVisible();
  await providerPages.logIn("ada");
  await expect(page).toHaveURL(`${own.baseURL}/worklist`);
  await expect(shell.currentUser).toHaveText("Ada Reader · admin");

  // The user list says how each account signs in.
  const users = new AdminUsersPage(page);
  await users.goto();
  await expect(users.row("ada.reader@hospital.test").getByTestId("user-auth-method")).toHaveText("Single sign-on");
  await expect(users.row(own.users.radiologist.email).getByTestId("user-auth-method")).toHaveText("Password");
  await page.context().close();
});

test("a person whose groups map to no role is refused with a page saying why, and gets no session", async ({ browser }) => {
  const page = await newPage(browser);
  await page.goto("/sign-in");
  await new SignInPage(page).ssoButton.click();
  await new TestProviderPages(page).logIn("bob");
  await expect(page).toHaveURL(/\/sign-in\/refused\?reason=no_role/);
  await expect(page.getByTestId("sso-refused-reason")).toContainText("not in any group that gives access");
  await page.goto("/worklist");
  await expect(page).toHaveURL(/\/sign-in\?next=/);
  await page.context().close();
});

test("a callback that does not belong to this browser's sign-in is refused", async ({ browser }) => {
  const page = await newPage(browser);
  await page.goto("/sign-in");
  const signInPage = new SignInPage(page);
  await signInPage.ssoButton.click();
  await expect(new TestProviderPages(page).loginForm()).toBeVisible();
  // The state, nonce and PKCE verifier of this sign-in live in the browser's cookies: without them the
  // provider's answer cannot be matched to a sign-in of this browser.
  await page.context().clearCookies({ domain: "127.0.0.1", name: /next-auth\.(state|pkce|nonce)/ });
  await new TestProviderPages(page).logIn("ada");
  await expect(page).toHaveURL(/\/sign-in\?.*\berror=OAuthCallback/);
  await expect(signInPage.ssoError).toContainText("Single sign-on did not complete");
  await page.goto("/worklist");
  await expect(page).toHaveURL(/\/sign-in\?next=/);
  await page.context().close();
});
