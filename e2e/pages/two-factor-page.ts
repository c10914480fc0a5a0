import { PageObject } from "./page-object";

/** /account/two-factor: setting up TOTP (QR code, key as text, a code to confirm, then the recovery codes). */
export class TwoFactorPage extends PageObject({
  page: "two-factor-page",
  mustEnrol: "must-enrol-second-factor",
  start: "two-factor-start",
  qr: "two-factor-qr",
  secret: "two-factor-secret",
  code: "two-factor-code",
  confirm: "two-factor-confirm",
  error: "two-factor-error",
  done: "two-factor-done",
  recoveryCodes: "recovery-code",
  continue: "two-factor-continue",
  enrolled: "two-factor-enrolled",
}) {
  /** Starts the set-up and returns the key shown as text. */
  async startSetup(): Promise<string> {
    await this.start.click();
    await this.secret.waitFor();
    return (await this.secret.textContent())!.trim();
  }

  /** Confirms with `code` and returns the recovery codes shown once. */
  async confirmWith(code: string): Promise<string[]> {
    await this.code.fill(code);
    await this.confirm.click();
    await this.done.waitFor();
    return (await this.recoveryCodes.allTextContents()).map((c) => c.trim());
  }
}
