import { PageObject } from "./page-object";

export class SignInPage extends PageObject({
  form: "sign-in-form",
  error: "sign-in-error",
  code: "sign-in-code",
  ssoButton: "sign-in-sso",
  ssoError: "sign-in-sso-error",
}) {
  async goto(): Promise<void> {
    await this.visit("/sign-in", this.form);
  }

  async signIn(email: string, password: string): Promise<void> {
    await this.page.getByTestId("sign-in-email").fill(email);
    await this.page.getByTestId("sign-in-password").fill(password);
    await this.page.getByTestId("sign-in-submit").click();
  }

  /** Types the second factor's code (asked for after the right password) and submits. */
  async enterCode(code: string): Promise<number> {
    await this.code.fill(code);
    const [answer] = await Promise.all([
      this.page.waitForResponse((r) => r.url().includes("/api/auth/callback/credentials")),
      this.page.getByTestId("sign-in-submit").click(),
    ]);
    return answer.status();
  }

  /** Signs in and waits for the server's answer (so that an error shown after it is this attempt's). */
  async attempt(email: string, password: string): Promise<number> {
    const [answer] = await Promise.all([
      this.page.waitForResponse((r) => r.url().includes("/api/auth/callback/credentials")),
      this.signIn(email, password),
    ]);
    return answer.status();
  }
}
