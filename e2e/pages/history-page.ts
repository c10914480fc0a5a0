import type { Locator } from "@playwright/test";
import { PageObject } from "./page-object";

export class HistoryPage extends PageObject({
  list: "history-list",
  items: "history-item",
}) {
  async goto(): Promise<void> {
    await this.visit("/history", this.page.getByTestId("history-page"));
  }

  item(fileName: string): Locator {
    return this.items.filter({ has: this.page.getByTestId("history-file-name").getByText(fileName, { exact: true }) });
  }
}
