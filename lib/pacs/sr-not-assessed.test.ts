import { describe, expect, it } from "vitest";
import { NOT_ASSESSED } from "@/lib/core/finding-score";
import type { SourceContext } from "./dicom-file";
import type { ResultContent } from "./result-content";
import { measurementReport } from "./sr-content";
import { writeStructuredReport } from "./sr-document";
import { dsrdump } from "@/test/support/pacs/dicom-tools";

// The SR's qualitative evaluations carry one coded finding per model output; one the model gives no score
// for states "not assessed by this model" instead of a calibrated score (never op_norm's 0.5).

const source: SourceContext = {
  patientStudy: {},
  studyInstanceUid: "1.2.826.0.1.3680043.8.498.10",
  seriesInstanceUid: "1.2.826.0.1.3680043.8.498.11",
  sopClassUid: "1.2.840.10008.5.1.4.1.1.1.1",
  sopInstanceUid: "1.2.826.0.1.3680043.8.498.12",
  modality: "DX",
  rows: 512,
  columns: 512,
  viewPosition: "PA",
};

const content: ResultContent = {
  analysisId: "4f0c7a4e-2b43-4a55-9a43-3c9a0f1d2e11",
  studyOrdinal: 1,
  analysedAt: new Date("2025-03-04T10:20:30Z"),
  model: { name: "resnet50-res512-all", version: "1", trained: false },
  findings: [
    { label: "Effusion", calibrated: 0.31, positive: false, threshold: 0.5, cam: null },
    { label: "Lung Lesion", calibrated: null, positive: false, threshold: 0.5, cam: null },
  ],
  camSide: { h: 16, w: 16 },
  triageLevel: "normal",
  qualityWarnings: [],
  pixelSpacing: null,
  verification: null,
};

type Node = { ConceptNameCodeSequence?: { CodeMeaning: string }[]; ConceptCodeSequence?: { CodeMeaning: string }[]; ContentSequence?: Node[]; TextValue?: string; MeasuredValueSequence?: unknown[] };

function findingItem(items: Node[], label: string): Node | undefined {
  for (const item of items) {
    if (item.ConceptNameCodeSequence?.[0].CodeMeaning === "Finding" && item.ConceptCodeSequence?.[0].CodeMeaning === label) return item;
    const inner = item.ContentSequence && findingItem(item.ContentSequence, label);
    if (inner) return inner;
  }
  return undefined;
}

const meanings = (n: Node) => (n.ContentSequence ?? []).map((c) => c.ConceptNameCodeSequence?.[0].CodeMeaning);

describe("SR: a finding not assessed by the model", () => {
  it("states it in words and carries no calibrated score", () => {
    const items = measurementReport(content, source) as Node[];
    const scored = findingItem(items, "Effusion")!;
    expect(meanings(scored)).toContain("Calibrated score");
    const lesion = findingItem(items, "Lung Lesion")!;
    expect(lesion).toBeDefined();
    expect(meanings(lesion)).not.toContain("Calibrated score");
    const statement = lesion.ContentSequence!.find((c) => c.ConceptNameCodeSequence?.[0].CodeMeaning === "Not assessed by this model")!;
    expect(statement.TextValue).toBe(NOT_ASSESSED);
  });

  it("is written as a DICOM file that DCMTK's dsrdump reads with the statement", async () => {
    const written = writeStructuredReport(content, source, new Date("2025-03-04T10:21:00Z"));
    const dump = await dsrdump(written.bytes);
    expect(dump).toMatch(/Lung Lesion[\s\S]*Not assessed by this model[^\n]*="not assessed by this model"/);
    expect(dump).not.toMatch(/Lung Lesion\)[^\n]*\n[^\n]*Calibrated score/);
  });
});
