import { expect, type Locator, type Page } from "@playwright/test";
import { Viewer } from "./viewer";

/** The result page of one analysis: viewer with heatmap, findings, warnings, model and timings. */
export class ResultPage {
  readonly root: Locator;
  readonly title: Locator;
  readonly findingRows: Locator;
  readonly untrainedBanner: Locator;
  readonly model: Locator;
  readonly timings: Locator;
  readonly viewer: Viewer;

  constructor(readonly page: Page) {
    this.root = page.getByTestId("analysis-page");
    this.title = page.getByTestId("analysis-title");
    this.findingRows = page.getByTestId("findings-list").getByTestId("finding-row");
    this.untrainedBanner = page.getByTestId("result-untrained-banner");
    this.model = page.getByTestId("analysis-model");
    this.timings = page.getByTestId("analysis-timings");
    this.viewer = new Viewer(page);
  }

  async goto(id: string) {
    const response = await this.page.goto(`/analyses/${id}`);
    return response;
  }

  /** Calibrated scores in the order the page lists them. */
  async listedScores(): Promise<number[]> {
    const rows = await this.findingRows.all();
    return Promise.all(rows.map(async (r) => Number(await r.getAttribute("data-calibrated"))));
  }

  async expectLoaded(): Promise<void> {
    await expect(this.root).toBeVisible();
    await this.viewer.ready();
  }
}
