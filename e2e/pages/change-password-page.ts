import type { Locator, Page } from "@playwright/test";

/** /account/password: where people holding a one-time password are sent until they choose their own. */
export class ChangePasswordPage {
  readonly root: Locator;
  /** The notice shown while the one-time password is still in use. */
  readonly mustChangeNotice: Locator;
  readonly error: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByTestId("change-password-page");
    this.mustChangeNotice = page.getByTestId("must-change-password");
    this.error = page.getByTestId("change-password-error");
  }

  async change(currentPassword: string, newPassword: string): Promise<void> {
    await this.page.getByTestId("current-password").fill(currentPassword);
    await this.page.getByTestId("new-password").fill(newPassword);
    await this.page.getByTestId("confirm-password").fill(newPassword);
    await this.page.getByTestId("change-password-submit").click();
  }
}
