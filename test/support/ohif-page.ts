// Test support: a page object for OHIF's viewer (test/support/ohif-viewer.ts serves it), by the
// data-cy attributes and texts OHIF 3.13 renders.
import type { Locator, Page } from "@playwright/test";

export class OhifStudyPage {
  readonly errors: string[] = [];

  constructor(readonly page: Page) {
    page.on("pageerror", (e) => this.errors.push(`page error: ${e.message}`));
    page.on("console", (m) => {
      if (m.type() === "error") this.errors.push(`console error: ${m.text().slice(0, 500)}`);
    });
  }

  async open(studyUrl: string): Promise<void> {
    // As for a returning reader: the first-visit tour (which covers the study browser) was seen.
    await this.page.addInitScript(() => localStorage.setItem("shownTours", JSON.stringify(["basicViewerTour"])));
    await this.page.goto(studyUrl);
    await this.page.locator('[data-cy="studyBrowser-panel"]').waitFor();
  }

  /** A series in the study browser, by its Series Description. */
  series(description: string | RegExp): Locator {
    return this.page.locator('[data-cy="series-description-label"]').filter({ hasText: description });
  }

  async openSeries(description: string | RegExp): Promise<void> {
    await this.series(description).first().dblclick();
  }

  /** OHIF's error boundary, shown in place of a viewport it could not render. */
  errorBoundary(): Locator {
    return this.page.getByText("Something went wrong");
  }

  /** Answers OHIF's "track measurements?" prompt that loading an SR brings: its measurements are tracked. */
  async trackMeasurements(): Promise<void> {
    const prompt = this.page.getByText("Do you want to continue tracking measurements for this study?");
    // Either the SR loads and OHIF asks, or its viewport fails: say which, with what the page logged.
    await Promise.race([prompt.waitFor(), this.errorBoundary().first().waitFor()]);
    if (await this.errorBoundary().count()) throw new Error(`OHIF could not show the SR ("Something went wrong"):\n${this.errors.join("\n")}`);
    await this.page.getByRole("button", { name: "Yes", exact: true }).click();
  }

  async openMeasurementPanel(): Promise<void> {
    const rows = this.page.locator('[data-cy="data-row-title"]');
    if (await rows.first().isVisible().catch(() => false)) return;
    await this.page.locator('[data-cy="trackedMeasurements-btn"]').click();
  }

  measurementTitles(): Locator {
    return this.page.locator('[data-cy="data-row-title"]');
  }

  viewportPane(): Locator {
    return this.page.locator('[data-cy="viewport-pane"]').first();
  }
}
