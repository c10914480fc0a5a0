// Security suite, the parts that need the real server and browser: sessions ended by sign-out or a
// password change (next-auth's own /api/auth/session included). The rest of the suite is in
// lib/security/*.test.ts.
import { expect, test, type Browser, type BrowserContext } from "@playwright/test";
import { ChangePasswordPage } from "./pages/change-password-page";
import { signIn, signOut } from "./support/auth";
import { fromAppPage } from "./support/same-origin";
import { createUsers, seededUsers } from "./support/users";

/** A fresh browser holding nothing but a copy of `from`'s cookies, as a thief would. */
async function withStolenCookies(browser: Browser, from: BrowserContext): Promise<BrowserContext> {
  const thief = await browser.newContext();
  await thief.addCookies(await from.cookies());
  return thief;
}

async function expectRefusedEverywhere(thief: BrowserContext) {
  const page = await thief.newPage();
  await page.goto("/worklist");
  await expect(page).toHaveURL(/\/sign-in/);
  const api = await thief.request.post("/api/worklist", { headers: fromAppPage(), data: {} });
  expect(api.status()).toBe(401);
  const session = await thief.request.get("/api/auth/session");
  expect(session.status()).toBe(200);
  expect(await session.json()).toEqual({});
}

test("a session token copied before sign-out or a password change is refused everywhere", async ({ browser }) => {
  // Sign-out: the copy taken while signed in no longer opens the worklist, its API or the session.
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await signIn(page, seededUsers().radiologist);
  const thiefBefore = await withStolenCookies(browser, ctx);
  expect((await thiefBefore.request.get("/api/auth/session").then((r) => r.json())).user?.role).toBe("radiologist");
  await signOut(page);
  await expectRefusedEverywhere(thiefBefore);
  await thiefBefore.close();
  await ctx.close();

  // Password change in one browser ends the session held by another.
  const [user] = createUsers([["radiologist", "Session Tester"]]);
  const first = await browser.newContext();
  await signIn(await first.newPage(), user);
  const second = await browser.newContext();
  const secondPage = await second.newPage();
  await signIn(secondPage, user);
  await secondPage.goto("/account/password");
  const changed = secondPage.waitForResponse((r) => r.url().endsWith("/api/account/password"));
  await new ChangePasswordPage(secondPage).change(user.password, `${user.password}-changed`);
  expect((await changed).status()).toBe(200);
  await expectRefusedEverywhere(first);
  await first.close();
  await second.close();
});
