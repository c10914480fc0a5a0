import { expect, type Locator, type Page } from "@playwright/test";

/**
 * Waits until the element that shows a page is in the document once and visible. While a streamed page
 * is being revealed, React holds the streamed part in a hidden copy for a moment (reveals are throttled),
 * and a strict locator that matched both would fail.
 */
export async function expectShown(loaded: Locator): Promise<void> {
  await expect(loaded).toHaveCount(1);
  await expect(loaded).toBeVisible();
}

type Locators<T extends Record<string, string>> = { readonly [K in keyof T]: Locator };

/**
 * The base of a page object whose parts are found by test id: pass the table of property → test id,
 * and each instance gets a locator per entry (so a page object lists its parts once, not three times).
 */
export function PageObject<const T extends Record<string, string>>(testIds: T) {
  class Base {
    constructor(readonly page: Page) {
      for (const [name, testId] of Object.entries(testIds)) {
        Object.defineProperty(this, name, { value: page.getByTestId(testId), enumerable: true });
      }
    }

    /** Opens the path and waits until the element that shows the page has loaded is visible. */
    protected async visit(path: string, loaded: Locator): Promise<void> {
      await this.page.goto(path);
      await expectShown(loaded);
    }
  }
  return Base as unknown as new (page: Page) => Base & Locators<T>;
}
