import { expect } from "@playwright/test";
import { PageObject } from "./page-object";

/** The anatomy overlay of the diagnostic viewer: outlines, the measured CTR lines and their legend. */
export class AnatomyOverlay extends PageObject({
  viewer: "diagnostic-viewer",
  legend: "anatomy-legend",
  measuredCtr: "measured-ctr",
  untrained: "anatomy-untrained",
  toggleLines: "toggle-measured-ctr",
  readerCtrTool: "tool-ctr",
}) {
  structureToggle(name: string) {
    return this.page.locator(`[data-testid=toggle-structure][data-structure="${name}"]`);
  }

  /** Waits for the segmentation (its own job after the findings: tens of seconds on a CPU). */
  async completed(timeout: number): Promise<void> {
    await expect(this.viewer).toHaveAttribute("data-anatomy", "completed", { timeout });
  }

  async outlinesDrawn(): Promise<number> {
    return Number(await this.viewer.getAttribute("data-outlines"));
  }

  async measuredLines(): Promise<number> {
    return Number(await this.viewer.getAttribute("data-measured-lines"));
  }
}
