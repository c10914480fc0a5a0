import { describe, expect, it } from "vitest";
import { labelPosition } from "./label-placement";

const view = { left: 0, top: 0, right: 1000, bottom: 800 };

describe("labelPosition", () => {
  it("puts a label right of its line when it fits", () => {
    expect(labelPosition({ a: { x: 100, y: 300 }, b: { x: 300, y: 300 } }, 120, 1, view)).toEqual({ x: 306, y: 300 });
  });

  it("moves the CTR label of a thoracic width drawn to the right edge to the left of the line", () => {
    const p = labelPosition({ a: { x: 500, y: 400 }, b: { x: 990, y: 400 } }, 200, 1, view);
    expect(p.x + 200).toBeLessThanOrEqual(view.right);
    expect(p.x).toBe(294);
  });

  it("keeps a label inside the view when the line spans it edge to edge", () => {
    const p = labelPosition({ a: { x: 5, y: 400 }, b: { x: 995, y: 400 } }, 240, 1, view);
    expect(p.x).toBeGreaterThanOrEqual(view.left);
    expect(p.x + 240).toBeLessThanOrEqual(view.right);
  });

  it("keeps a label inside a zoomed-in view and off its top and bottom edges", () => {
    const zoomed = { left: 400, top: 300, right: 600, bottom: 450 };
    const p = labelPosition({ a: { x: 420, y: 290 }, b: { x: 590, y: 290 } }, 40, 4, zoomed);
    expect(p.x).toBeGreaterThanOrEqual(zoomed.left);
    expect(p.x + 40).toBeLessThanOrEqual(zoomed.right);
    expect(p.y).toBeGreaterThanOrEqual(zoomed.top + 14 / 4);
    const low = labelPosition({ a: { x: 420, y: 500 }, b: { x: 500, y: 500 } }, 40, 4, zoomed);
    expect(low.y).toBeLessThanOrEqual(zoomed.bottom);
  });
});
