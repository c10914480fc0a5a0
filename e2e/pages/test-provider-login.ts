import type { Page } from "@playwright/test";

/**
 * The login and logout pages of the test OpenID Provider (oidc-provider's own development pages, see
 * test/support/oidc-provider.ts): not this app's markup, so found by their form fields and button text.
 */
export class TestProviderPages {
  constructor(readonly page: Page) {}

  /** The provider's login form is showing (its URL is on the provider's origin). */
  loginForm() {
    return this.page.locator('form input[name="login"]');
  }

  async logIn(login: string): Promise<void> {
    await this.loginForm().fill(login);
    await this.page.locator('form input[name="password"]').fill("any password");
    await this.page.getByRole("button", { name: "Sign-in" }).click();
  }

  /** The provider's "Do you want to sign-out?" page (RP-initiated logout): yes. */
  async confirmLogout(): Promise<void> {
    await this.page.getByRole("button", { name: "Yes, sign me out" }).click();
  }
}
