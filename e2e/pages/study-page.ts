import { expect } from "@playwright/test";
import { PageObject } from "./page-object";

/** The study parts of the result page: image strip, earlier studies, the prior pane and measurements. */
export class StudyPage extends PageObject({
  header: "study-header",
  thumbs: "study-thumb",
  priorRows: "prior-row",
  priorPane: "viewer-pane-prior",
  priorWl: "prior-wl-readout",
  priorZoom: "prior-zoom-readout",
  scoreChanges: "score-change",
  measurements: "measurement-row",
}) {
  async priorWindow(): Promise<{ center: number; width: number }> {
    return { center: Number(await this.priorWl.getAttribute("data-center")), width: Number(await this.priorWl.getAttribute("data-width")) };
  }

  /** The prior film is drawn in its pane (not just the black background). */
  async priorReady(): Promise<void> {
    await expect(this.priorPane).toBeVisible();
    await expect(this.priorZoom).toContainText("synced");
    const canvas = this.page.getByTestId("viewer-pane-prior-canvas");
    await expect
      .poll(() => canvas.evaluate((el) => {
        const c = el as HTMLCanvasElement;
        const d = c.getContext("2d")!.getImageData(0, 0, c.width, c.height).data;
        let max = 0;
        for (let i = 0; i < d.length; i += 4 * 97) max = Math.max(max, d[i]);
        return max;
      }), { timeout: 20_000 })
      .toBeGreaterThan(30);
  }

  /** Draws a horizontal line across the main film, from and to fractions of the pane's width, at a fraction of its height. */
  async drawLine(x0: number, x1: number, y: number): Promise<void> {
    const box = (await this.page.getByTestId("viewer-pane-main-canvas").boundingBox())!;
    const at = (fx: number) => ({ x: box.x + box.width * fx, y: box.y + box.height * y });
    await this.page.mouse.move(at(x0).x, at(x0).y);
    await this.page.mouse.down();
    await this.page.mouse.move((at(x0).x + at(x1).x) / 2, at(x0).y, { steps: 4 });
    await this.page.mouse.move(at(x1).x, at(x1).y, { steps: 4 });
    await this.page.mouse.up();
  }
}
