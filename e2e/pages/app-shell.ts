import type { Locator, Page } from "@playwright/test";

/** The signed-in chrome around every page: navigation, current user, model banner, sign-out. */
export class AppShell {
  readonly currentUser: Locator;
  readonly untrainedBanner: Locator;
  readonly modelMissingBanner: Locator;
  readonly signOutButton: Locator;

  constructor(readonly page: Page) {
    this.currentUser = page.getByTestId("current-user");
    this.untrainedBanner = page.getByTestId("untrained-banner");
    this.modelMissingBanner = page.getByTestId("model-missing-banner");
    this.signOutButton = page.getByTestId("sign-out");
  }

  nav(item: "upload" | "worklist" | "history" | "stats" | "my-reports" | "admin" | "api-docs"): Locator {
    return this.page.getByTestId(`nav-${item}`);
  }
}
