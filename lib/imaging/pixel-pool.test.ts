import { describe, expect, it } from "vitest";
import { pixelPoolState, returnPixelBuffer, takePixelBuffer } from "./pixel-pool";

describe("pixel buffer pool", () => {
  it("gives back a returned buffer to a request of the same or a slightly smaller size, once", () => {
    const a = takePixelBuffer(1000);
    expect(a).toHaveLength(1000);
    returnPixelBuffer(a);
    const b = takePixelBuffer(1000);
    expect(b.buffer).toBe(a.buffer);
    returnPixelBuffer(b);
    const c = takePixelBuffer(900);
    expect(c).toHaveLength(900);
    expect(c.buffer).toBe(a.buffer);
    // Not handed out twice while in use.
    expect(takePixelBuffer(900).buffer).not.toBe(a.buffer);
    returnPixelBuffer(c);
  });

  it("does not serve a request far smaller than a pooled buffer, nor keep views it did not make", () => {
    const big = takePixelBuffer(4000);
    returnPixelBuffer(big);
    expect(takePixelBuffer(1000).buffer).not.toBe(big.buffer);
    const before = pixelPoolState().buffers;
    returnPixelBuffer(new Float32Array(100).subarray(10));
    expect(pixelPoolState().buffers).toBe(before);
  });

  it("keeps a buffer returned twice only once", () => {
    const a = takePixelBuffer(5000);
    returnPixelBuffer(a);
    const before = pixelPoolState().buffers;
    returnPixelBuffer(a);
    expect(pixelPoolState().buffers).toBe(before);
    expect(takePixelBuffer(5000).buffer).toBe(a.buffer);
    expect(takePixelBuffer(5000).buffer).not.toBe(a.buffer);
  });

  it("keeps no buffer that was transferred away (detached, empty)", () => {
    const a = takePixelBuffer(3000);
    structuredClone(a.buffer, { transfer: [a.buffer] });
    expect(a.byteLength).toBe(0);
    const before = pixelPoolState();
    returnPixelBuffer(a);
    expect(pixelPoolState()).toEqual(before);
  });
});
