// The PDF summary of a validation set: what was validated, the numbers per finding, then the ROC and
// calibration plot of each finding. Same fonts and conventions as the report PDFs (lib/reports): DejaVu
// subsets, a red box first when the model is untrained, a footer with the date and page on every page.
import "server-only";
import sharp from "sharp";
import { INK, MUTED, openPdf, tableRow, untrainedBox } from "@/lib/reports/pdf-document";
import { SANS, SANS_BOLD } from "@/lib/reports/pdf-fonts";
import { UNTRAINED_VALIDATION_NOTICE } from "./evaluate-set";
import type { Confusion } from "./metrics";
import { calibrationSvg, rocSvg } from "./plots-svg";
import type { SetView } from "./queries";

const MARGIN = 40;

const pct = (v: number | null | undefined) => (v === null || v === undefined ? "–" : `${Math.round(v * 100)}%`);
const num = (v: number | null | undefined, d = 3) => (v === null || v === undefined ? "–" : v.toFixed(d));
const pair = (c: Confusion | null) => (c ? `${pct(c.sensitivity)} / ${pct(c.specificity)}` : "–");

export async function validationPdf(view: SetView, now = new Date()): Promise<Buffer> {
  const { set, findings } = view;
  const frame = openPdf({ margin: MARGIN, layout: "landscape", info: { Title: `Validation: ${set.name}` } });
  const { doc, width, text } = frame;

  doc.font(SANS_BOLD).fontSize(18).fillColor(INK);
  text(`Local validation: ${set.name}`);
  doc.font(SANS).fontSize(10).fillColor(MUTED);
  const source = set.source === "reviews" ? `signed-off reviews ${set.periodFrom} to ${set.periodTo}` : "uploaded images with a labels file";
  text(`Ground truth: ${source}. Cases: ${set.summary.cases} (${set.summary.analysed} analysed, ${set.summary.failed} failed).`);
  text(
    `Model: ${set.modelName ?? "unknown"} version ${set.modelVersion ?? "unknown"} (${set.modelTrained === false ? "UNTRAINED" : set.modelTrained ? "trained" : "unknown"}). ` +
      `Computed ${set.completedAt?.toISOString().slice(0, 16).replace("T", " ") ?? "–"} UTC by ${set.createdByName}.`,
  );
  text("AUC and calibration on the model's probability (95% DeLong interval); thresholds on the calibrated score. Sensitivity / specificity at each threshold.");

  if (set.modelTrained === false) untrainedBox(frame, UNTRAINED_VALIDATION_NOTICE);

  doc.moveDown(0.8);
  const cols = [0.17, 0.05, 0.06, 0.17, 0.12, 0.12, 0.11, 0.11, 0.09].map((f) => f * width);
  const table = { margin: MARGIN, width, cols, fontSize: 8.5, padX: 3, padY: 2.5 };
  const row = (cells: string[], bold: boolean) => tableRow(doc, table, cells, { bold });
  row(["Finding", "n", "Positive", "AUC (95% CI)", "Operating point", "Site threshold", "90% sensitivity", "95% sensitivity", "ECE"], true);
  for (const f of findings) {
    row(
      [
        f.label.replaceAll("_", " "),
        String(f.n),
        String(f.positives),
        f.auc === null ? "– (one class missing)" : `${num(f.auc)}${f.aucCi ? ` (${num(f.aucCi[0])}–${num(f.aucCi[1])})` : ""}`,
        `${num(f.operatingPoint.threshold, 2)}: ${pair(f.operatingPoint)}`,
        `${num(f.siteThreshold.threshold, 2)}: ${pair(f.siteThreshold)}`,
        f.sensitivity90 ? `${num(f.sensitivity90.threshold, 4)}: ${pair(f.sensitivity90)}` : "–",
        f.sensitivity95 ? `${num(f.sensitivity95.threshold, 4)}: ${pair(f.sensitivity95)}` : "–",
        num(f.calibration.ece),
      ],
      false,
    );
  }

  // Plots: per finding its ROC and calibration side by side, two findings per page.
  const side = 240;
  for (let i = 0; i < findings.length; i++) {
    if (i % 2 === 0) doc.addPage();
    const top = MARGIN + (i % 2) * (side + 20);
    const [roc, cal] = await Promise.all([rocSvg(findings[i]), calibrationSvg(findings[i])].map((svg) => sharp(Buffer.from(svg)).png().toBuffer()));
    doc.image(roc, MARGIN, top, { width: side, height: side });
    doc.image(cal, MARGIN + side + 20, top, { width: side, height: side });
  }

  return frame.finish(`Generated ${now.toISOString().slice(0, 16).replace("T", " ")} UTC`);
}
