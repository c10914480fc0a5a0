// A complete, signed-off report built in memory, for unit tests of the PDF and FHIR builders (no
// database, no image). Scores follow a fixed pattern so that several findings are positive.
import type { ReportData } from "@/lib/reports/report-data";

const LABELS = [
  "Atelectasis", "Consolidation", "Infiltration", "Pneumothorax", "Edema", "Emphysema", "Fibrosis", "Effusion",
  "Pneumonia", "Pleural_Thickening", "Cardiomegaly", "Nodule", "Mass", "Hernia", "Lung Lesion", "Fracture",
  "Lung Opacity", "Enlarged Cardiomediastinum",
];

export function sampleReport(overrides: Partial<ReportData["analysis"]> = {}): ReportData {
  return {
    analysis: {
      id: "4f0c7a4e-2b43-4a55-9a43-3c9a0f1d2e11",
      imageSha256: "ab".repeat(32),
      createdAt: new Date("2025-03-04T10:20:30Z"),
      modality: "DX",
      viewPosition: "PA",
      accessionNumber: "ACC-42",
      studyInstanceUid: "1.2.826.0.1.3680043.8.498.1",
      studyDate: "20250304",
      triageLevel: "critical",
      warnings: [],
      model: { name: "densenet121-res224-all", version: "untrained-demo-1", trained: false },
      pixelSpacing: [0.5, 0.5],
      ...overrides,
    },
    findings: LABELS.map((label, position) => {
      const calibrated = ((position * 37) % 100) / 100;
      return { position, label, probability: calibrated * 0.8, calibrated, positive: calibrated >= 0.5 };
    }),
    review: {
      version: 2,
      impression: "Right apical pneumothorax. No effusion.",
      decisions: { Pneumothorax: "agree", Effusion: "disagree" },
      addedFindings: ["Rib fracture, left 5th"],
      overallResult: "abnormal",
      // A cardiothoracic ratio of 0.50 (cardiac 70.0 mm, thoracic 140.0 mm at 0.5 mm per pixel).
      measurements: [
        { kind: "ctr", cardiac: [{ x: 100, y: 200 }, { x: 240, y: 200 }], thoracic: [{ x: 40, y: 220 }, { x: 320, y: 220 }] },
      ],
      amendmentReason: "Added rib fracture",
      signedOffAt: new Date("2025-03-04T11:00:00Z"),
      reviewer: { id: "0b7b8d0e-6a0e-4b53-8a7e-0a4f9f6b1c22", name: "Dr. Ada Reader", email: "ada@example.org" },
    },
    cam: null,
  };
}

/** The labels the ResNet-50 release has no operating point for: stored without a score. */
export const NOT_ASSESSED_LABELS = ["Lung Lesion", "Enlarged Cardiomediastinum"];

/** The sample as the ResNet-50 classifier would leave it: two findings not assessed by the model. */
export function notAssessedReport(): ReportData {
  const report = sampleReport({ model: { name: "resnet50-res512-all", version: "untrained-demo-1", trained: false } });
  return {
    ...report,
    findings: report.findings.map((f) => (NOT_ASSESSED_LABELS.includes(f.label) ? { ...f, calibrated: null, positive: false } : f)),
  };
}
