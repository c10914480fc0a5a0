// The anatomy model's cardiothoracic ratio in the SR, drawn as the radiologist's is (sr-measurements.ts):
// a length group for the cardiac width and one for the thoracic width, each a line on the analysed image
// labelled with the ratio, here with the algorithm's identity (TID 4019) and "software" in the label.
// The ratio itself is listed at report level with the same algorithm, and an AP film gets the note that
// the ratio is overestimated. A lateral gets none of this (measuredCtr).
import { measuredCtr, MEASURED_BY_SOFTWARE, spanLength, UNTRAINED_ANATOMY, type MeasuredCtr } from "@/lib/anatomy/measured-ctr";
import { formatLength } from "@/lib/studies/measurements";
import { DCM, LOCAL_SCHEME, UCUM_UNITY, type Code } from "./codes";
import type { SourceContext } from "./dicom-file";
import type { ResultContent } from "./result-content";
import { planarMeasurementGroup, UNITS } from "./sr-geometry";
import { CTR_CONCEPT } from "./sr-measurements";
import { num, text, type Item } from "./sr-items";
import { resultUids } from "./uids";

const NOTE: Code = { CodeValue: "CTR_NOTE", CodingSchemeDesignator: LOCAL_SCHEME, CodeMeaning: "Cardiothoracic ratio note" };

function softwareCtr(content: ResultContent): MeasuredCtr | null {
  return measuredCtr(content.anatomy, { viewPosition: content.viewPosition ?? null, nonFrontal: content.nonFrontal ?? false });
}

/** The two drawn width groups (Imaging Measurements), or none. */
export function softwareCtrGroups(content: ResultContent, source: SourceContext): Item[] {
  const ctr = softwareCtr(content);
  if (!ctr) return [];
  const tag = `software${ctr.model.trained ? "" : ", UNTRAINED MODEL"}`;
  return (["cardiac", "thoracic"] as const).map((part) => {
    const span = part === "cardiac" ? ctr.heart : ctr.thorax;
    const length = spanLength(span);
    return planarMeasurementGroup(
      {
        shape: "line",
        points: [
          { x: span.left, y: span.row },
          { x: span.right, y: span.row },
        ],
        label: `CTR ${ctr.ratio.toFixed(2)} (${tag}): ${part} width ${formatLength(length)}`,
        trackingUid: resultUids.tracking(content.analysisId, `software-ctr-${part}`),
        value: length.value,
        unit: length.unit === "mm" ? UNITS.mm : UNITS.pixels,
        algorithm: ctr.model,
      },
      source,
    );
  });
}

/** Report-level items: the ratio with its algorithm, how it was measured, and the projection's caveat. */
export function softwareCtrSummary(content: ResultContent): Item[] {
  const ctr = softwareCtr(content);
  if (!ctr) return [];
  const note = ctr.note;
  return [
    num("CONTAINS", CTR_CONCEPT, ctr.ratio, UCUM_UNITY, 4, [
      text("HAS CONCEPT MOD", DCM.algorithmName, ctr.model.name.slice(0, 64)),
      text("HAS CONCEPT MOD", DCM.algorithmVersion, ctr.model.version.slice(0, 64)),
    ]),
    text("CONTAINS", NOTE, `Cardiothoracic ratio ${MEASURED_BY_SOFTWARE} on the anatomy model's heart and lung outlines.`),
    ...(note ? [text("CONTAINS", NOTE, note)] : []),
    ...(ctr.model.trained ? [] : [text("CONTAINS", NOTE, `${UNTRAINED_ANATOMY}.`)]),
  ];
}
