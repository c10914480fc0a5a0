import { expect } from "@playwright/test";
import { PageObject } from "./page-object";

/** The live worklist (/worklist): filter bar, triage chips and the study table. */
export class WorklistPage extends PageObject({
  rows: "worklist-row",
  empty: "worklist-empty",
}) {
  async goto(): Promise<void> {
    await this.visit("/worklist", this.page.getByTestId("worklist-page"));
    await expect(this.page.getByTestId("worklist-loading")).toHaveCount(0);
  }

  async search(text: string): Promise<void> {
    await this.page.getByTestId("filter-search").fill(text);
  }

  async filter(name: "status" | "triage" | "finding" | "uploader", value: string): Promise<void> {
    await this.page.getByTestId(`filter-${name}`).selectOption(value);
  }

  async dates(from: string, to: string): Promise<void> {
    await this.page.getByTestId("filter-from").fill(from);
    await this.page.getByTestId("filter-to").fill(to);
  }

  async clear(): Promise<void> {
    await this.page.getByTestId("filter-clear").click();
  }

  /** Analysis ids of the rows shown, top to bottom. */
  rowIds(): Promise<string[]> {
    return this.rows.evaluateAll((els) => els.map((e) => e.getAttribute("data-id") ?? ""));
  }

  rowLevels(): Promise<string[]> {
    return this.rows.evaluateAll((els) => els.map((e) => e.getAttribute("data-level") ?? ""));
  }

  /** Waits until the list (which refreshes itself) shows exactly these ids in this order. */
  async expectIds(ids: string[], timeout = 15_000): Promise<void> {
    await expect.poll(() => this.rowIds(), { timeout }).toEqual(ids);
  }

  async open(id: string): Promise<void> {
    await this.page.locator(`[data-testid="worklist-row"][data-id="${id}"]`).click();
    await expect(this.page).toHaveURL(new RegExp(`/analyses/${id}$`));
  }
}
