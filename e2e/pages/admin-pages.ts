import type { Locator, Page } from "@playwright/test";
import type { Role } from "../../lib/core/roles";

export class AdminUsersPage {
  constructor(readonly page: Page) {}
  goto() {
    return this.page.goto("/admin/users");
  }
  row(email: string): Locator {
    return this.page.locator(`[data-testid="user-row"][data-email="${email}"]`);
  }
  async create(email: string, role: Role, method: "invitation" | "one_time_password") {
    await this.page.getByTestId("new-user-email").fill(email);
    await this.page.getByTestId("new-user-role").selectOption(role);
    await this.page.getByTestId("new-user-method").selectOption(method);
    await this.page.getByTestId("create-user-submit").click();
  }
  get secret(): Locator {
    return this.page.getByTestId("secret-value");
  }
}

export class AdminKeysPage {
  constructor(readonly page: Page) {}
  goto() {
    return this.page.goto("/admin/api-keys");
  }
  async create(name: string, ownerEmail: string, scopes: string[]) {
    await this.page.getByTestId("key-name").fill(name);
    await this.page.getByTestId("key-owner").selectOption(ownerEmail);
    for (const s of ["analyses:read", "analyses:write", "reports:read", "identifiers:read"]) {
      await this.page.getByTestId(`key-scope-${s}`).setChecked(scopes.includes(s));
    }
    await this.page.getByTestId("create-key-submit").click();
  }
  row(prefix: string): Locator {
    return this.page.locator(`[data-testid="key-row"][data-prefix="${prefix}"]`);
  }
  /** Requests per minute for one key ("" for the server's default, "0" for none). */
  async setRateLimit(prefix: string, value: string) {
    const row = this.row(prefix);
    await row.getByTestId("key-rate-limit-input").fill(value);
    await row.getByTestId("key-rate-limit-save").click();
  }
}
