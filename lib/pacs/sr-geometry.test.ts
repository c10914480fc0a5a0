import { describe, expect, it } from "vitest";
import type { SourceContext } from "./dicom-file";
import { planarMeasurementGroup, UNITS } from "./sr-geometry";
import { readMeasurementGroups } from "@/test/support/sr-groups";

const source = { sopClassUid: "1.2.840.10008.5.1.4.1.1.1.1", sopInstanceUid: "2.25.42" } as SourceContext;
const report = (groups: Record<string, unknown>[]) => ({
  ContentSequence: [{ ConceptNameCodeSequence: [{ CodeMeaning: "Imaging Measurements" }], ContentSequence: groups }],
});

describe("a drawable measurement group", () => {
  it("is a length inferred from a polyline selected from the image, labelled, with the tool OHIF draws it with", () => {
    const group = planarMeasurementGroup(
      {
        shape: "line",
        points: [{ x: 10, y: 20 }, { x: 40, y: 60 }],
        label: "CTR 0.52: cardiac width 50.0 mm",
        trackingUid: "2.25.7",
        value: 50,
        unit: UNITS.mm,
        algorithm: { name: "ctr-model", version: "2" },
      },
      source,
    );
    const [read] = readMeasurementGroups(report([group]));
    expect(read).toEqual({
      trackingIdentifier: "Cornerstone3DTools@^0.1.0:Length",
      trackingUid: "2.25.7",
      comment: "CTR 0.52: cardiac width 50.0 mm",
      values: [{ concept: "Length", value: 50, unit: "mm", scoord: { graphicType: "POLYLINE", points: [10, 20, 40, 60], referencedSopInstanceUid: "2.25.42" } }],
    });
    const items = group.ContentSequence as Record<string, unknown>[];
    expect(items.filter((i) => i.ValueType === "NUM")).toHaveLength(1);
    expect(items.map((i) => (i.ConceptNameCodeSequence as { CodeMeaning: string }[])[0].CodeMeaning)).toContain("Algorithm Name");
  });

  it("is an area for a closed region, and refuses a region that is not closed", () => {
    const square = [{ x: 0, y: 0 }, { x: 10, y: 0 }, { x: 10, y: 10 }, { x: 0, y: 10 }, { x: 0, y: 0 }];
    const [read] = readMeasurementGroups(
      report([planarMeasurementGroup({ shape: "region", points: square, label: "Nodule (AI) 0.81", trackingUid: "2.25.8", value: 100, unit: UNITS.pixels2 }, source)]),
    );
    expect(read.trackingIdentifier).toBe("Cornerstone3DTools@^0.1.0:PlanarFreehandROI");
    expect(read.values[0]).toMatchObject({ concept: "Area", value: 100, unit: "{pixels2}" });
    expect(() => planarMeasurementGroup({ shape: "region", points: square.slice(0, 4), label: "x", trackingUid: "2.25.9", value: 1, unit: UNITS.pixels2 }, source)).toThrow(/closed/);
    expect(() => planarMeasurementGroup({ shape: "line", points: [{ x: 0, y: 0 }], label: "x", trackingUid: "2.25.9", value: 1, unit: UNITS.mm }, source)).toThrow(/two points/);
  });
});
