import type { Locator } from "@playwright/test";
import { PageObject } from "./page-object";

/** The signed-in chrome around every page: navigation, current user, model banner, sign-out. */
export class AppShell extends PageObject({
  currentUser: "current-user",
  untrainedBanner: "untrained-banner",
  modelMissingBanner: "model-missing-banner",
  signOutButton: "sign-out",
}) {
  nav(item: "upload" | "worklist" | "history" | "stats" | "my-reports" | "admin" | "api-docs"): Locator {
    return this.page.getByTestId(`nav-${item}`);
  }
}
