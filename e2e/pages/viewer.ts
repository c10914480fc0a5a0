import { expect } from "@playwright/test";
import { PageObject } from "./page-object";

export interface CanvasSample {
  /** Red channel on a 16 x 16 grid over the canvas. */
  grey: number[];
  /** Mean channel spread (|R-G| + |G-B|): zero for a grey film, positive once a heatmap tints it. */
  colour: number;
}

/** The diagnostic viewer on the result page. Reads pixels back from its canvas to see real changes. */
export class Viewer extends PageObject({
  root: "diagnostic-viewer",
  canvas: "viewer-pane-main-canvas",
  wlReadout: "wl-readout",
  zoomReadout: "zoom-readout",
  legend: "heatmap-legend",
}) {
  /** The image is loaded and drawn (not just the black background). */
  async ready(): Promise<void> {
    await expect(this.root).toBeVisible();
    await expect(this.zoomReadout).toHaveAttribute("data-scale", /\d/);
    await expect.poll(async () => Math.max(...(await this.sample()).grey), { timeout: 20_000 }).toBeGreaterThan(30);
  }

  /** Gives the viewer keyboard focus (its shortcuts act only then). */
  async focus(): Promise<void> {
    await this.root.focus();
    await expect(this.root).toBeFocused();
  }

  /** The part of the window the film's pane covers (its box clipped to the viewport), 0..1. */
  visibleShareOfWindow(): Promise<number> {
    return this.page.getByTestId("viewer-pane-main").evaluate((el) => {
      const r = el.getBoundingClientRect();
      const w = Math.max(0, Math.min(r.right, window.innerWidth) - Math.max(r.left, 0));
      const h = Math.max(0, Math.min(r.bottom, window.innerHeight) - Math.max(r.top, 0));
      return (w * h) / (window.innerWidth * window.innerHeight);
    });
  }

  sample(): Promise<CanvasSample> {
    return this.canvas.evaluate((el) => {
      const c = el as HTMLCanvasElement;
      const data = c.getContext("2d")!.getImageData(0, 0, c.width, c.height).data;
      const grey: number[] = [];
      let spread = 0;
      for (let gy = 0; gy < 16; gy++) {
        for (let gx = 0; gx < 16; gx++) {
          const x = Math.floor(((gx + 0.5) / 16) * c.width);
          const y = Math.floor(((gy + 0.5) / 16) * c.height);
          const i = (y * c.width + x) * 4;
          grey.push(data[i]);
          spread += Math.abs(data[i] - data[i + 1]) + Math.abs(data[i + 1] - data[i + 2]);
        }
      }
      return { grey, colour: spread / 256 };
    });
  }

  async wl(): Promise<{ center: number; width: number }> {
    return {
      center: Number(await this.wlReadout.getAttribute("data-center")),
      width: Number(await this.wlReadout.getAttribute("data-width")),
    };
  }

  async scale(): Promise<number> {
    return Number(await this.zoomReadout.getAttribute("data-scale"));
  }

  /** Left-drag with the window/level tool (the default tool). */
  async dragWindow(dx: number, dy: number): Promise<void> {
    await this.root.getByTestId("tool-window").click();
    const box = (await this.canvas.boundingBox())!;
    const x = box.x + box.width / 2;
    const y = box.y + box.height / 2;
    await this.page.mouse.move(x, y);
    await this.page.mouse.down();
    await this.page.mouse.move(x + dx / 2, y + dy / 2, { steps: 4 });
    await this.page.mouse.move(x + dx, y + dy, { steps: 4 });
    await this.page.mouse.up();
  }

  async wheelZoomIn(): Promise<void> {
    const box = (await this.canvas.boundingBox())!;
    await this.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await this.page.mouse.wheel(0, -400);
  }

  async showHeatmap(label: string): Promise<void> {
    await this.root.getByTestId("heatmap-finding").selectOption(label);
    await expect(this.root).toHaveAttribute("data-overlay", /heatmap|both/);
  }

  async toggleHeatmap(): Promise<void> {
    await this.root.getByTestId("toggle-heatmap").click();
  }

  /** Opacity via the keyboard on the slider (Home = 0 %, End = 100 %), as a keyboard user would. */
  async opacityTo(end: "Home" | "End"): Promise<void> {
    await this.root.getByTestId("heatmap-opacity").focus();
    await this.page.keyboard.press(end);
  }
}
