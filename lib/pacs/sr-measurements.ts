// The radiologist's measurements (lib/studies) in the verified SR, drawn where they were taken: a
// distance is one length group, a cardiothoracic ratio two (cardiac and thoracic width), each labelled
// with the ratio. Lengths in mm when the film gave a pixel spacing, else in labelled pixels. The
// ratios themselves need no drawing: they are listed at report level (ratioItems).
import type { Measurement } from "@/lib/core/measurement-types";
import { cardiothoracicRatio, formatLength, segmentLength, type Length, type PixelSpacing } from "@/lib/studies/measurements";
import { LOCAL_SCHEME, UCUM_UNITY, type Code } from "./codes";
import type { SourceContext } from "./dicom-file";
import { planarMeasurementGroup, UNITS } from "./sr-geometry";
import { num, text, type Item } from "./sr-items";
import { resultUids } from "./uids";

const code = (CodeValue: string, CodingSchemeDesignator: string, CodeMeaning: string): Code => ({ CodeValue, CodingSchemeDesignator, CodeMeaning });
const CONCEPT = {
  ratio: code("CTR", LOCAL_SCHEME, "Cardiothoracic ratio"),
  uncalibrated: code("UNCALIBRATED", LOCAL_SCHEME, "Uncalibrated: no pixel spacing in the file"),
};

/** The ratio's concept, the radiologist's and the software's alike. */
export const CTR_CONCEPT = CONCEPT.ratio;

const unitOf = (l: Length) => (l.unit === "mm" ? UNITS.mm : UNITS.pixels);
const ratioText = (r: number | null) => (r === null ? "—" : r.toFixed(2));

export function measurementGroups(analysisId: string, measurements: readonly Measurement[], spacing: PixelSpacing, source: SourceContext): Item[] {
  return measurements.flatMap((m, i) => {
    const uid = (part: string) => resultUids.tracking(analysisId, `measurement-${i + 1}${part}`);
    if (m.kind === "distance") {
      const l = segmentLength(m.line, spacing);
      return [planarMeasurementGroup({ shape: "line", points: m.line, label: `Distance ${formatLength(l)}`, trackingUid: uid(""), value: l.value, unit: unitOf(l) }, source)];
    }
    const ratio = ratioText(cardiothoracicRatio(m, spacing));
    return (["cardiac", "thoracic"] as const).map((part) => {
      const l = segmentLength(m[part], spacing);
      return planarMeasurementGroup(
        { shape: "line", points: m[part], label: `CTR ${ratio}: ${part} width ${formatLength(l)}`, trackingUid: uid(`-${part}`), value: l.value, unit: unitOf(l) },
        source,
      );
    });
  });
}

/** Report-level items: each cardiothoracic ratio, and a note when lengths are in pixels. */
export function measurementSummary(measurements: readonly Measurement[], spacing: PixelSpacing): Item[] {
  const ratios = measurements.flatMap((m) => {
    if (m.kind !== "ctr") return [];
    const r = cardiothoracicRatio(m, spacing);
    return r === null ? [] : [num("CONTAINS", CONCEPT.ratio, r, UCUM_UNITY, 4)];
  });
  const uncalibrated = measurements.length > 0 && !spacing ? [text("CONTAINS", CONCEPT.uncalibrated, "Lengths are in pixels.")] : [];
  return [...ratios, ...uncalibrated];
}
