import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { extractPdfText } from "@/lib/testing/pdf-text";
import { renderPlainImage, renderPositiveHeatmaps } from "./heatmap-render";
import { buildReportPdf, toWinAnsi } from "./pdf";
import { glossaryFor } from "./patient-strings";
import { sampleReport } from "./sample-report";

// A synthetic film made by the test (a smooth grey gradient, 640 x 512), so no fixture is needed.
async function syntheticFilm(): Promise<Buffer> {
  const w = 640;
  const h = 512;
  const px = Buffer.alloc(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) px[y * w + x] = Math.round(40 + 150 * (x / w) * (y / h));
  return sharp(px, { raw: { width: w, height: h, channels: 1 } }).png().toBuffer();
}

function withCam(report = sampleReport()) {
  const data: number[] = [];
  for (let c = 0; c < 18; c++) for (let i = 0; i < 49; i++) data.push(i === (c * 5) % 49 ? 5 : 0);
  return { ...report, cam: { shape: [18, 7, 7], data } };
}

const flat = (s: string) => s.replace(/\s+/g, " ");

describe("report PDF", () => {
  it("contains every positive finding, the impression, reviewer, model and disclaimer (staff)", async () => {
    const report = withCam();
    const film = await syntheticFilm();
    const heatmaps = await renderPositiveHeatmaps(report, film, { maxSide: 400 });
    const positives = report.findings.filter((f) => f.positive);
    expect(positives.length).toBeGreaterThan(2);
    expect(heatmaps.map((h) => h.label)).toEqual([...positives].sort((a, b) => b.calibrated - a.calibrated).map((f) => f.label));

    const pdf = await buildReportPdf(report, { base: await renderPlainImage(film, { maxSide: 400 }), heatmaps }, { audience: "staff" });
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    const text = flat(await extractPdfText(pdf));
    for (const f of positives) expect(text).toContain(`Heatmap: ${f.label.replaceAll("_", " ")}`);
    expect(text).toContain("Right apical pneumothorax. No effusion.");
    expect(text).toContain("Dr. Ada Reader");
    expect(text).toContain("densenet121-res224-all");
    expect(text).toContain("UNTRAINED");
    expect(text).toContain("ACC-42");
    expect(text).toContain("Critical");
    expect(text).toContain("decision support only");
    // Calibrated scores appear with two decimals.
    expect(text).toContain(report.findings[3].calibrated.toFixed(2));
  });

  it("speaks plain language to patients and leaves out the accession number", async () => {
    const report = withCam();
    const pdf = await buildReportPdf(report, { base: null, heatmaps: [] }, { audience: "patient" });
    const text = flat(await extractPdfText(pdf));
    for (const f of report.findings.filter((x) => x.positive)) {
      expect(text).toContain(`${glossaryFor(f.label).plain} (${f.label.replaceAll("_", " ")})`);
    }
    expect(text).toContain("What the radiologist found");
    expect(text).toContain("test version");
    expect(text).not.toContain("ACC-42");
  });

  it("keeps text a standard PDF font can print", () => {
    expect(toWinAnsi("Pneumothorax — 5 mm ≥ threshold, café")).toBe("Pneumothorax — 5 mm >= threshold, café");
    expect(toWinAnsi("肺")).toBe("?");
  });
});
