import { DCM, SCT, type Code } from "./codes";
import type { SourceContext } from "./dicom-file";
import { codeItem, num, text, uidref, type Item } from "./sr-items";

// One measurement group (TID 1501 with a TID 300 measurement) that a viewer can draw: a length or an
// area INFERRED FROM a SCOORD polyline SELECTED FROM the analysed image, in the image's pixel
// coordinates. The shape follows what OHIF's SR support (and the Cornerstone3D adapters under it)
// reads back: a Tracking Identifier naming the Cornerstone tool that draws it, exactly one NUM per group,
// that NUM's one SCOORD child, and that SCOORD's one IMAGE child; the label is the group's Comment.
// A group without geometry makes OHIF drop the whole report, so every group is made here.

/** The Cornerstone3D tool prefix OHIF recognises in a Tracking Identifier. */
const CORNERSTONE_TOOLS = "Cornerstone3DTools@^0.1.0";

export interface ImagePoint {
  x: number;
  y: number;
}

export interface PlanarGroup {
  /** A line (2 or more points) is a Length; a closed loop (first point repeated last) is an area. */
  shape: "line" | "region";
  points: readonly ImagePoint[];
  /** What a viewer shows beside the drawing, e.g. "Distance 90.1 mm". */
  label: string;
  trackingUid: string;
  /** The measured value: a length or an area, with its unit. */
  value: number;
  unit: Code;
  /** Coded finding of the group, when it has one (e.g. the model's label). */
  finding?: Code;
  /** The algorithm that produced it (TID 4019), when it came from software. */
  algorithm?: { name: string; version: string };
}

export const UNITS = {
  mm: { CodeValue: "mm", CodingSchemeDesignator: "UCUM", CodeMeaning: "millimeter" },
  mm2: { CodeValue: "mm2", CodingSchemeDesignator: "UCUM", CodeMeaning: "square millimeter" },
  /** Uncalibrated: the film carried no pixel spacing. */
  pixels: { CodeValue: "{pixels}", CodingSchemeDesignator: "UCUM", CodeMeaning: "pixels (uncalibrated)" },
  pixels2: { CodeValue: "{pixels2}", CodingSchemeDesignator: "UCUM", CodeMeaning: "square pixels (uncalibrated)" },
} satisfies Record<string, Code>;

const AREA: Code = { CodeValue: "42798000", CodingSchemeDesignator: "SCT", CodeMeaning: "Area" };

function scoord(points: readonly ImagePoint[], source: SourceContext): Item {
  return {
    RelationshipType: "INFERRED FROM",
    ValueType: "SCOORD",
    GraphicType: "POLYLINE",
    GraphicData: points.flatMap((p) => [Math.fround(p.x), Math.fround(p.y)]),
    ContentSequence: [
      {
        RelationshipType: "SELECTED FROM",
        ValueType: "IMAGE",
        ReferencedSOPSequence: [{ ReferencedSOPClassUID: source.sopClassUid, ReferencedSOPInstanceUID: source.sopInstanceUid }],
      },
    ],
  };
}

/** The content of one Measurement Group container (CONTAINS from Imaging Measurements). */
export function planarMeasurementGroup(group: PlanarGroup, source: SourceContext): Item {
  if (group.points.length < 2) throw new Error("a drawn measurement needs at least two points");
  const first = group.points[0];
  const last = group.points[group.points.length - 1];
  if (group.shape === "region" && (group.points.length < 4 || first.x !== last.x || first.y !== last.y)) {
    throw new Error("a region is a closed polyline: at least three corners, the first point repeated last");
  }
  const tool = group.shape === "line" ? "Length" : "PlanarFreehandROI";
  return {
    RelationshipType: "CONTAINS",
    ValueType: "CONTAINER",
    ConceptNameCodeSequence: [DCM.measurementGroup],
    ContinuityOfContent: "SEPARATE",
    ContentSequence: [
      text("HAS OBS CONTEXT", DCM.trackingIdentifier, `${CORNERSTONE_TOOLS}:${tool}`),
      uidref("HAS OBS CONTEXT", DCM.trackingUid, group.trackingUid),
      ...(group.finding ? [codeItem("CONTAINS", DCM.finding, group.finding)] : []),
      ...(group.algorithm
        ? [text("HAS CONCEPT MOD", DCM.algorithmName, group.algorithm.name.slice(0, 64)), text("HAS CONCEPT MOD", DCM.algorithmVersion, group.algorithm.version.slice(0, 64))]
        : []),
      text("CONTAINS", DCM.comment, group.label),
      num("CONTAINS", group.shape === "line" ? SCT.length : AREA, group.value, group.unit, 4, [scoord(group.points, source)]),
    ],
  };
}
