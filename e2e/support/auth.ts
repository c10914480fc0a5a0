// Signing in and out through the real pages, for any spec.
import { expect, type Page } from "@playwright/test";
import { SignInPage } from "../pages/sign-in-page";

export async function signIn(page: Page, user: { email: string; password: string }): Promise<void> {
  const signInPage = new SignInPage(page);
  await signInPage.goto();
  await signInPage.signIn(user.email, user.password);
  await expect(page).not.toHaveURL(/\/sign-in/);
}

export async function signOut(page: Page): Promise<void> {
  await page.getByTestId("sign-out").click();
  await expect(page).toHaveURL(/\/sign-in/);
}
