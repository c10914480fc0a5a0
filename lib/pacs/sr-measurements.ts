// The radiologist's measurements (lib/studies) in the verified SR: one TID 1501 measurement group per
// distance or cardiothoracic ratio, lengths in mm when the film gave a pixel spacing, else in pixels
// with the group marked uncalibrated.
import type { Measurement } from "@/lib/core/measurement-types";
import { cardiothoracicRatio, segmentLength, type Length, type PixelSpacing } from "@/lib/studies/measurements";
import { DCM, LOCAL_SCHEME, UCUM_UNITY, type Code } from "./codes";
import { resultUids } from "./uids";

type Item = Record<string, unknown>;

const code = (CodeValue: string, CodingSchemeDesignator: string, CodeMeaning: string): Code => ({ CodeValue, CodingSchemeDesignator, CodeMeaning });
const CONCEPT = {
  distance: code("DISTANCE", LOCAL_SCHEME, "Distance"),
  ratio: code("CTR", LOCAL_SCHEME, "Cardiothoracic ratio"),
  cardiac: code("CARDIAC_WIDTH", LOCAL_SCHEME, "Cardiac width"),
  thoracic: code("THORACIC_WIDTH", LOCAL_SCHEME, "Thoracic width"),
  uncalibrated: code("UNCALIBRATED", LOCAL_SCHEME, "Uncalibrated: no pixel spacing in the file"),
};
const MM = code("mm", "UCUM", "millimeter");
const PIXELS = code("{pixels}", "UCUM", "pixels");

const item = (valueType: string, concept: Code, extra: Item): Item => ({ RelationshipType: "CONTAINS", ValueType: valueType, ConceptNameCodeSequence: [concept], ...extra });
const num = (concept: Code, value: number, unit: Code): Item =>
  item("NUM", concept, { MeasuredValueSequence: [{ NumericValue: value.toFixed(4).slice(0, 16), FloatingPointValue: value, MeasurementUnitsCodeSequence: [unit] }] });
const length = (concept: Code, l: Length) => num(concept, l.value, l.unit === "mm" ? MM : PIXELS);

export function measurementGroups(analysisId: string, measurements: readonly Measurement[], spacing: PixelSpacing): Item[] {
  return measurements.map((m, i) => {
    const name = m.kind === "distance" ? "distance" : "cardiothoracic ratio";
    const values =
      m.kind === "distance"
        ? [length(CONCEPT.distance, segmentLength(m.line, spacing))]
        : [
            ...(() => {
              const r = cardiothoracicRatio(m, spacing);
              return r === null ? [] : [num(CONCEPT.ratio, r, UCUM_UNITY)];
            })(),
            length(CONCEPT.cardiac, segmentLength(m.cardiac, spacing)),
            length(CONCEPT.thoracic, segmentLength(m.thoracic, spacing)),
          ];
    return item("CONTAINER", DCM.measurementGroup, {
      ContinuityOfContent: "SEPARATE",
      ContentSequence: [
        item("TEXT", DCM.trackingIdentifier, { TextValue: `measurement ${i + 1}: ${name}` }),
        item("UIDREF", DCM.trackingUid, { UID: resultUids.tracking(analysisId, `measurement-${i + 1}`) }),
        ...values,
        ...(spacing ? [] : [item("TEXT", CONCEPT.uncalibrated, { TextValue: "Lengths are in pixels." })]),
      ],
    });
  });
}
