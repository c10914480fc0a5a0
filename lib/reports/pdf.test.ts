import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { extractPdfText } from "@/test/support/pdf-text";
import { renderPlainImage, renderPositiveHeatmaps } from "./heatmap-render";
import { buildReportPdf } from "./pdf";
import { glossaryFor, patientStrings } from "./patient-strings";
import { sampleReport } from "@/test/support/reports/sample-report";

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
    expect(heatmaps.map((h) => h.label)).toEqual([...positives].sort((a, b) => b.calibrated! - a.calibrated!).map((f) => f.label));

    const pdf = await buildReportPdf(report, { base: await renderPlainImage(film, { maxSide: 400 }), heatmaps }, { audience: "staff" });
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    const text = flat(await extractPdfText(pdf));
    for (const f of positives) expect(text).toContain(`Heatmap: ${f.label.replaceAll("_", " ")}`);
    expect(text).toContain("Right apical pneumothorax. No effusion.");
    expect(text).toContain("Dr. Ada Reader");
    expect(text).toContain("Cardiothoracic ratio 0.50 (cardiac 70.0 mm, thoracic 140.0 mm)");
    expect(text).toContain("densenet121-res224-all");
    expect(text).toContain("UNTRAINED");
    expect(text).toContain("ACC-42");
    expect(text).toContain("Critical");
    expect(text).toContain("decision support only");
    // Calibrated scores appear with two decimals.
    expect(text).toContain(report.findings[3].calibrated!.toFixed(2));
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
    // Measurements in plain words, never in clinician's terms of pixels or "cardiac ... mm".
    expect(text).toContain("Width of the heart compared with the width of the chest: 50%");
    expect(text).not.toMatch(/\bpx\b|uncalibrated|cardiac \d/);
  });

  it("prints names and impressions in any script the embedded font covers, exactly as typed", async () => {
    const impression = "Müller — Ωμέγα, Привет, Zürich, naïve, €, “quotes”";
    const base = sampleReport();
    const report = {
      ...base,
      review: { ...base.review, impression, reviewer: { ...base.review.reviewer, name: "Dr. Zoë Ђорђевић" } },
    };
    // A translated patient string in the bold font (the title) as well as the regular one.
    const strings = { ...patientStrings, pdf: { ...patientStrings.pdf, title: "Рентгенограмма грудной клетки" } };
    for (const audience of ["staff", "patient"] as const) {
      const text = await extractPdfText(await buildReportPdf(report, { base: null, heatmaps: [] }, { audience, strings }));
      expect(text).toContain(impression);
      expect(text).toContain("Dr. Zoë Ђорђевић");
      expect(text).toContain("Рентгенограмма грудной клетки");
      expect(text).not.toContain("?");
    }
  });

  it("prints a visible replacement for characters the font has no glyph for, never an empty box", async () => {
    const base = sampleReport();
    // Chinese and Devanagari are outside DejaVu Sans; the emoji and the Hebrew word are inside it.
    const impression = "Nodule 肺结节 नोड्यूल, size 5 mm ≥ threshold 😀 שלום";
    const report = { ...base, review: { ...base.review, impression } };
    const text = await extractPdfText(await buildReportPdf(report, { base: null, heatmaps: [] }, { audience: "staff" }));
    // One replacement per code point: 肺结节 is three, नोड्यूल seven (consonants, vowel signs, virama).
    expect(text).toContain(`Nodule ${"\ufffd".repeat(3)} ${"\ufffd".repeat(7)}, size 5 mm ≥ threshold 😀`);
    expect(text).toContain("שלום");
    expect(text).not.toMatch(/[\u4e00-\u9fff\u0900-\u097f]/);
    // A glyph the font lacks is drawn as .notdef, which has no Unicode and extracts as U+0000.
    expect(text).not.toContain("\u0000");
  });

  it("keeps line breaks typed on any platform and prints tabs as spaces", async () => {
    const base = sampleReport();
    const report = { ...base, review: { ...base.review, impression: "First line.\r\nSecond\tline.\rThird line." } };
    const text = await extractPdfText(await buildReportPdf(report, { base: null, heatmaps: [] }, { audience: "staff" }));
    expect(text).toMatch(/First line\.\s*\nSecond line\.\s*\nThird line\./);
    expect(text).not.toContain("\ufffd");
  });

  it("embeds only the glyphs it uses, so a text-only report stays small", async () => {
    const pdf = await buildReportPdf(sampleReport(), { base: null, heatmaps: [] }, { audience: "patient" });
    // The two font files are 1.4 MB; their subsets for a whole report are about 20 kB.
    expect(pdf.length).toBeLessThan(40_000);
    expect(pdf.toString("latin1")).toMatch(/\/BaseFont \/[A-Z]{6}\+DejaVuSans-Bold\b/);
  });
});
