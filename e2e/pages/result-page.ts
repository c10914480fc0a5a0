import { expectShown, PageObject } from "./page-object";
import { Viewer } from "./viewer";

/** The result page of one analysis: viewer with heatmap, findings, warnings, model and timings. */
export class ResultPage extends PageObject({
  root: "analysis-page",
  title: "analysis-title",
  untrainedBanner: "result-untrained-banner",
  model: "analysis-model",
  timings: "analysis-timings",
}) {
  readonly findingRows = this.page.getByTestId("findings-list").getByTestId("finding-row");
  readonly viewer = new Viewer(this.page);

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
    await expectShown(this.root);
    await this.viewer.ready();
  }
}
