import { expect } from "@playwright/test";
import { PageObject } from "./page-object";

/** Local validation: the list with its create form (/validation) and one set (/validation/[id]). */
export class ValidationPage extends PageObject({
  setPage: "validation-set-page",
  roc: "roc-chart",
  calibration: "calibration-chart",
}) {
  async goto(): Promise<void> {
    await this.visit("/validation", this.page.getByTestId("validation-page"));
  }

  async createFromReviews(name: string, from: string, to: string): Promise<void> {
    await this.page.getByTestId("source-reviews").click();
    await this.page.getByTestId("set-name").fill(name);
    await this.page.getByTestId("period-from").fill(from);
    await this.page.getByTestId("period-to").fill(to);
    await this.page.getByTestId("create-set").click();
  }

  async createFromUpload(name: string, images: { name: string; mimeType: string; buffer: Buffer }[], labelsCsv: string): Promise<void> {
    await this.page.getByTestId("source-upload").click();
    await this.page.getByTestId("set-name").fill(name);
    await this.page.getByTestId("set-images").setInputFiles(images);
    await this.page.getByTestId("set-labels").setInputFiles({ name: "labels.csv", mimeType: "text/csv", buffer: Buffer.from(labelsCsv) });
    await this.page.getByTestId("create-set").click();
  }

  /** Waits for the set's page to show its results (it refreshes itself while images are analysed). */
  async expectCompleted(timeout = 90_000): Promise<void> {
    await expect(this.page).toHaveURL(/\/validation\/[0-9a-f-]{36}$/);
    await expect(this.setPage).toHaveAttribute("data-status", "completed", { timeout });
  }

  async selectFinding(label: string): Promise<void> {
    await this.page.getByTestId(`select-finding-${label}`).click();
    await expect(this.page.getByTestId("finding-detail")).toHaveAttribute("data-label", label);
  }

  /** The threshold the picker proposes for the target sensitivity typed in. */
  async pickSensitivity(percent: number): Promise<number> {
    await this.page.getByTestId("target-sensitivity").fill(String(percent));
    const picked = this.page.getByTestId("picked-threshold");
    await expect(picked).toBeVisible();
    return Number(await picked.getAttribute("data-threshold"));
  }

  async applyThreshold(): Promise<void> {
    await this.page.getByTestId("apply-threshold").click();
    await expect(this.page.getByTestId("threshold-applied")).toBeVisible();
  }
}
