import { describe, expect, it } from "vitest";
import { fixtureSummary } from "@/test/support/anatomy/fixture-summary";
import { extractPdfText } from "@/test/support/pdf-text";
import { sampleReport } from "@/test/support/reports/sample-report";
import { zooPresent } from "@/test/support/zoo-models";
import { AP_NOTE } from "@/lib/anatomy/run-models";
import { buildReportPdf } from "./pdf";
import { patientStrings } from "./patient-strings";
import type { ReportData } from "./report-data";

const flat = (s: string) => s.replace(/\s+/g, " ");
// pdfkit may break a line after a hyphen ("X-" / "rays"): compare long sentences without any spaces.
const squash = (s: string) => s.replace(/\s+/g, "");
const FILM = { width: 512, height: 430, pixelSpacingMm: [0.2, 0.2] as const };

function withAnatomy(viewPosition: string, calibrated: boolean): ReportData {
  const report = sampleReport({ viewPosition, pixelSpacing: calibrated ? [0.2, 0.2] : null });
  const positives = report.findings.filter((f) => f.positive);
  const cam = { data: new Array(18 * 49).fill(0), shape: [18, 7, 7] as const };
  for (const f of positives) cam.data[f.position * 49 + ((f.position * 5) % 49)] = 9;
  const { summary } = fixtureSummary("dx-12bit-explicit-le.dcm", {
    film: calibrated ? FILM : { width: 512, height: 430 },
    projection: viewPosition === "AP" ? "AP" : "PA",
    zonesFrom: { cam, classes: Object.fromEntries(positives.map((f) => [f.label, f.position])) },
  });
  return { ...report, anatomy: summary };
}

const pdfText = async (report: ReportData, audience: "staff" | "patient") => flat(await extractPdfText(await buildReportPdf(report, { base: null, heatmaps: [] }, { audience })));

describe.skipIf(!zooPresent)("report PDF: measured by software", () => {
  it("gives staff the ratio with both widths, the model, the AP note and the finding zones", async () => {
    const report = withAnatomy("AP", true);
    const text = await pdfText(report, "staff");
    expect(text).toContain("Measured by software (anatomy model)");
    expect(text).toContain("Cardiothoracic ratio 0.78 (cardiac 65.0 mm, thoracic 83.5 mm), measured by software (chestx_det-pspnet fixture-seed1; UNTRAINED");
    expect(text).toContain(AP_NOTE);
    const zone = Object.entries(report.anatomy!.findingZones!).find(([, z]) => z !== null)!;
    expect(text).toContain(`${zone[0].replaceAll("_", " ")}: ${zone[1]}`);
    // The radiologist's own measurement stays where it was, apart from the software's.
    expect(text).toContain("Measurements (radiologist):");
  });

  it("gives patients plain words: a percentage, centimetres only when calibrated, never pixels", async () => {
    const calibrated = await pdfText(withAnatomy("AP", true), "patient");
    const s = patientStrings.software;
    expect(calibrated).toContain(s.heading);
    expect(calibrated).toContain(s.ratio(78));
    expect(calibrated).toContain(s.widths("6.5 cm", "8.3 cm"));
    expect(squash(calibrated)).toContain(squash(s.ap));
    expect(squash(calibrated)).toContain(squash(s.untrained));
    expect(calibrated).toMatch(/the (upper|middle|lower) part of the (right|left) lung/);
    const uncalibrated = await pdfText(withAnatomy("PA", false), "patient");
    expect(uncalibrated).toContain(s.ratio(78));
    expect(uncalibrated).not.toContain("The heart measured about");
    expect(squash(uncalibrated)).not.toContain(squash(s.ap));
    for (const t of [calibrated, uncalibrated]) expect(t).not.toMatch(/\bpx\b|pixel/i);
  });

  it("has no such section for a lateral film or without anatomy", async () => {
    const lateral = await pdfText({ ...withAnatomy("PA", true), analysis: { ...sampleReport().analysis, viewPosition: "LL", warnings: [{ code: "non_frontal_view", message: "Lateral" }] } }, "staff");
    expect(lateral).not.toContain("Measured by software");
    expect(await pdfText(sampleReport(), "staff")).not.toContain("Measured by software");
  });
});
