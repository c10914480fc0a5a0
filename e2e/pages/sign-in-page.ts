import { PageObject } from "./page-object";

export class SignInPage extends PageObject({
  form: "sign-in-form",
  error: "sign-in-error",
}) {
  async goto(): Promise<void> {
    await this.visit("/sign-in", this.form);
  }

  async signIn(email: string, password: string): Promise<void> {
    await this.page.getByTestId("sign-in-email").fill(email);
    await this.page.getByTestId("sign-in-password").fill(password);
    await this.page.getByTestId("sign-in-submit").click();
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
