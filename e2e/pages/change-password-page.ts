import { PageObject } from "./page-object";

/** /account/password: where people holding a one-time password are sent until they choose their own. */
export class ChangePasswordPage extends PageObject({
  root: "change-password-page",
  /** The notice shown while the one-time password is still in use. */
  mustChangeNotice: "must-change-password",
  error: "change-password-error",
}) {
  async change(currentPassword: string, newPassword: string): Promise<void> {
    await this.page.getByTestId("current-password").fill(currentPassword);
    await this.page.getByTestId("new-password").fill(newPassword);
    await this.page.getByTestId("confirm-password").fill(newPassword);
    await this.page.getByTestId("change-password-submit").click();
  }
}
