import { expect, type Locator, type Page } from "@playwright/test";

export class HistoryPage {
  readonly list: Locator;
  readonly items: Locator;

  constructor(readonly page: Page) {
    this.list = page.getByTestId("history-list");
    this.items = page.getByTestId("history-item");
  }

  async goto(): Promise<void> {
    await this.page.goto("/history");
    await expect(this.page.getByTestId("history-page")).toBeVisible();
  }

  item(fileName: string): Locator {
    return this.items.filter({ has: this.page.getByTestId("history-file-name").getByText(fileName, { exact: true }) });
  }
}
