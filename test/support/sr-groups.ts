// Test support: the measurement groups of a written SR as a viewer reads them, from the naturalized
// dataset (lib/pacs/dicom-file readDicomHeader), so a test can check that every group can be drawn.

type Dataset = Record<string, unknown>;

export interface ReadGroup {
  trackingIdentifier: string | undefined;
  trackingUid: string | undefined;
  comment: string | undefined;
  /** NUM items of the group, each with the SCOORD it was inferred from (null when none). */
  values: {
    concept: string;
    value: number;
    unit: string;
    scoord: { graphicType: string; points: number[]; referencedSopInstanceUid: string | undefined } | null;
  }[];
}

const seq = (v: unknown): Dataset[] => (Array.isArray(v) ? (v as Dataset[]) : v ? [v as Dataset] : []);
const meaning = (item: Dataset) => String(seq(item.ConceptNameCodeSequence)[0]?.CodeMeaning ?? "");

export function contentNamed(items: unknown, name: string): Dataset | undefined {
  return seq(items).find((i) => meaning(i) === name);
}

export function readMeasurementGroups(sr: Dataset): ReadGroup[] {
  const measurements = contentNamed(sr.ContentSequence, "Imaging Measurements");
  return seq(measurements?.ContentSequence)
    .filter((g) => meaning(g) === "Measurement Group")
    .map((g) => {
      const items = seq(g.ContentSequence);
      return {
        trackingIdentifier: contentNamed(items, "Tracking Identifier")?.TextValue as string | undefined,
        trackingUid: contentNamed(items, "Tracking Unique Identifier")?.UID as string | undefined,
        comment: contentNamed(items, "Comment")?.TextValue as string | undefined,
        values: items
          .filter((i) => i.ValueType === "NUM")
          .map((n) => {
            const measured = seq(n.MeasuredValueSequence)[0] ?? {};
            const sc = seq(n.ContentSequence).find((c) => c.ValueType === "SCOORD");
            const image = sc ? seq(sc.ContentSequence).find((c) => c.ValueType === "IMAGE") : undefined;
            return {
              concept: meaning(n),
              value: Number(measured.NumericValue),
              unit: String(seq(measured.MeasurementUnitsCodeSequence)[0]?.CodeValue ?? ""),
              scoord: sc
                ? {
                    graphicType: String(sc.GraphicType),
                    points: seq(sc.GraphicData as unknown).map(Number),
                    referencedSopInstanceUid: seq(image?.ReferencedSOPSequence)[0]?.ReferencedSOPInstanceUID as string | undefined,
                  }
                : null,
            };
          }),
      };
    });
}
