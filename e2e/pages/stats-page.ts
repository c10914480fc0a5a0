import { PageObject } from "./page-object";

export interface AgreementCells {
  tp: number;
  fp: number;
  fn: number;
  tn: number;
  sensitivity: string;
  specificity: string;
}

/** The statistics page, optionally for one uploader's studies. */
export class StatsPage extends PageObject({}) {
  async goto(uploaderId?: string): Promise<void> {
    await this.visit(uploaderId ? `/stats?uploader=${uploaderId}` : "/stats", this.page.getByTestId("stats-page"));
  }

  async agreement(label: string): Promise<AgreementCells> {
    const row = this.page.getByTestId(`agreement-row-${label}`);
    const cell = async (name: string) => ((await row.locator(`[data-cell="${name}"]`).textContent()) ?? "").trim();
    return {
      tp: Number(await cell("tp")),
      fp: Number(await cell("fp")),
      fn: Number(await cell("fn")),
      tn: Number(await cell("tn")),
      // The percentage, without its confidence interval.
      sensitivity: (await cell("sensitivity")).split(" ")[0],
      specificity: (await cell("specificity")).split(" ")[0],
    };
  }
}
