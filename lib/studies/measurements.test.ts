import { describe, expect, it } from "vitest";
import { Measurement } from "@/lib/core/measurement-types";
import { cardiothoracicRatio, describeMeasurement, describeMeasurementForPatient, segmentLength, spacingOf } from "./measurements";

const p = (x: number, y: number) => ({ x, y });

describe("measurements", () => {
  it("measures in mm with the film's spacing (row, column), in pixels and marked uncalibrated without", () => {
    expect(segmentLength([p(0, 0), p(100, 0)], [0.2, 0.5])).toEqual({ value: 50, unit: "mm" });
    expect(segmentLength([p(0, 0), p(0, 100)], [0.2, 0.5])).toEqual({ value: expect.closeTo(20, 9), unit: "mm" });
    expect(describeMeasurement({ kind: "distance", line: [p(0, 0), p(30, 40)] }, null)).toBe("Distance 50 px (uncalibrated)");
    expect(describeMeasurement({ kind: "distance", line: [p(0, 0), p(30, 40)] }, [0.1, 0.1])).toBe("Distance 5.0 mm");
  });

  it("gives the cardiothoracic ratio with both widths", () => {
    const ctr = { kind: "ctr" as const, cardiac: [p(100, 200), p(240, 200)] as [ReturnType<typeof p>, ReturnType<typeof p>], thoracic: [p(40, 220), p(320, 220)] as [ReturnType<typeof p>, ReturnType<typeof p>] };
    expect(cardiothoracicRatio(ctr, null)).toBeCloseTo(0.5, 9);
    expect(describeMeasurement(ctr, [0.5, 0.5])).toBe("Cardiothoracic ratio 0.50 (cardiac 70.0 mm, thoracic 140.0 mm)");
    expect(cardiothoracicRatio({ ...ctr, thoracic: [p(1, 1), p(1, 1)] }, null)).toBeNull();
  });

  it("reads spacing from metadata only when it is a pair of positive numbers; the schema refuses junk", () => {
    expect(spacingOf({ pixelSpacing: [0.14, 0.14] })).toEqual([0.14, 0.14]);
    expect(spacingOf({ pixelSpacing: "0.14" })).toBeNull();
    expect(spacingOf({})).toBeNull();
    expect(Measurement.safeParse({ kind: "distance", line: [p(0, 0)] }).success).toBe(false);
    expect(Measurement.safeParse({ kind: "ctr", cardiac: [p(0, 0), p(1, 1)] }).success).toBe(false);
    expect(Measurement.safeParse({ kind: "distance", line: [p(0, 0), p(Number.NaN, 1)] }).success).toBe(false);
  });

  it("tells a patient measurements in plain words, never in pixels", () => {
    const distance = { kind: "distance" as const, line: [p(0, 0), p(0, 100)] as [ReturnType<typeof p>, ReturnType<typeof p>] };
    expect(describeMeasurementForPatient(distance, [0.5, 0.5])).toBe("A length your radiologist measured on the image: 5.0 cm");
    expect(describeMeasurementForPatient(distance, null)).toBeNull();
    const heart = { kind: "ctr" as const, cardiac: [p(0, 0), p(48, 0)] as [ReturnType<typeof p>, ReturnType<typeof p>], thoracic: [p(0, 0), p(100, 0)] as [ReturnType<typeof p>, ReturnType<typeof p>] };
    const line = describeMeasurementForPatient(heart, null)!;
    expect(line).toBe("Width of the heart compared with the width of the chest: 48% (cardiothoracic ratio 0.48)");
    expect(line).not.toMatch(/px|pixel/);
  });
});
