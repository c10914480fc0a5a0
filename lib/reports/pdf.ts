import { byScore, formatScore } from "@/lib/core/finding-score";
import "server-only";
import { REPORT_DISCLAIMER } from "@/lib/reports/draft";
import { describeMeasurement, describeMeasurementForPatient } from "@/lib/studies/measurements";
import { TRIAGE_LABEL } from "@/lib/triage/rules";
import { glossaryFor, patientStrings, type PatientStrings } from "./patient-strings";
import { INK, MUTED, openPdf, tableRow, untrainedBox } from "./pdf-document";
import { printable, SANS, SANS_BOLD } from "./pdf-fonts";
import { softwareLines } from "./pdf-software";
import type { ReportData } from "./report-data";
import { reviewerName } from "./reviewer-name";

// One PDF layout for both readers: radiologists get the model's labels and study identifiers, patients
// get everyday names next to the same labels and the plain-language notes.

export interface ReportImages {
  /** The film as shown to people (JPEG or PNG), or null when it is not available. */
  base: Buffer | null;
  /** Heatmap overlays of the positive findings, in output order. */
  heatmaps: { label: string; image: Buffer }[];
}

export interface PdfOptions {
  audience: "staff" | "patient";
  strings?: PatientStrings;
  now?: Date;
}

const MARGIN = 50;

const display = (label: string) => label.replaceAll("_", " ");
const fmtScore = formatScore;
const fmtDate = (d: Date, lang: string) =>
  new Intl.DateTimeFormat(lang, { dateStyle: "long", timeStyle: "short", timeZone: "UTC" }).format(d) + " UTC";

/** DICOM "YYYYMMDD" as "YYYY-MM-DD"; other values are printed as stored. */
const studyDay = (v: string | null) => (v ? v.replace(/^(\d{4})(\d{2})(\d{2})$/, "$1-$2-$3") : null);

export async function buildReportPdf(report: ReportData, images: ReportImages, options: PdfOptions): Promise<Buffer> {
  const s = options.strings ?? patientStrings;
  const patient = options.audience === "patient";
  // Dated by the sign-off, not the moment of writing: the same report gives the same bytes (pdfkit
  // derives the file id from this date), so a restored backup can be checked against the original.
  const frame = openPdf({ margin: MARGIN, info: { Title: s.pdf.title, Subject: "Chest radiograph report", CreationDate: report.review.signedOffAt } });
  const { doc, width, text } = frame;
  const heading = (t: string) => {
    if (doc.y > doc.page.height - MARGIN - 80) doc.addPage();
    doc.moveDown(0.8).font(SANS_BOLD).fontSize(13).fillColor(INK);
    text(t);
    doc.moveDown(0.3).font(SANS).fontSize(10).fillColor(INK);
  };
  const { analysis, review } = report;
  const model = analysis.model;

  // Title
  doc.font(SANS_BOLD).fontSize(20).fillColor(INK);
  text(s.pdf.title);
  doc.font(SANS).fontSize(11).fillColor(MUTED);
  text(s.pdf.subtitle);
  if (patient) {
    doc.moveDown(0.3);
    text(s.pdf.patientNote);
  }

  // An untrained model must be impossible to miss: a red box before anything else.
  if (model.trained === false) {
    untrainedBox(
      frame,
      patient ? s.untrainedTitle : "UNTRAINED MODEL: the AI scores and heatmaps carry no medical meaning",
      patient ? s.untrainedBody : "This analysis was made by the untrained demonstration model.",
    );
  }

  // Study
  heading(patient ? "Your examination" : "Study");
  const studyLines = [
    ...(!patient && analysis.accessionNumber ? [`Accession number: ${analysis.accessionNumber}`] : []),
    `Study date: ${studyDay(analysis.studyDate) ?? analysis.createdAt.toISOString().slice(0, 10)}`,
    ...(analysis.viewPosition ? [`View: ${analysis.viewPosition}`] : []),
    ...(!patient && analysis.modality ? [`Modality: ${analysis.modality}`] : []),
    `AI triage level: ${
      analysis.triageLevel ? (patient ? s.triage[analysis.triageLevel] : TRIAGE_LABEL[analysis.triageLevel]) : "not available"
    }`,
  ];
  for (const line of studyLines) text(line);

  // The radiologist's word comes before the machine's.
  heading(patient ? s.radiologistHeading : "Impression (radiologist)");
  doc.font(SANS).fontSize(11);
  text(patient ? s.overallResult[review.overallResult] : `Overall result: ${review.overallResult === "abnormal" ? "ABNORMAL" : "NORMAL"}`);
  doc.moveDown(0.3);
  text(review.impression.trim() || (patient ? s.noImpression : "No impression written."));
  if (review.addedFindings.length) {
    doc.moveDown(0.4).fontSize(10);
    text(`${patient ? s.radiologistAdded : "Findings added by the radiologist:"} ${review.addedFindings.map(display).join(", ")}`);
  }
  // Patients read measurements in plain words only (never pixel distances): those that have none are left out.
  const measured = patient
    ? review.measurements.map((m) => describeMeasurementForPatient(m, analysis.pixelSpacing)).filter((l): l is string => l !== null)
    : review.measurements.map((m) => describeMeasurement(m, analysis.pixelSpacing));
  if (measured.length) {
    doc.moveDown(0.4).fontSize(10);
    text(patient ? "Measurements:" : "Measurements (radiologist):");
    for (const line of measured) text(`- ${line}`);
  }
  doc.moveDown(0.4).fontSize(9).fillColor(MUTED);
  text(
    `Reviewer: ${reviewerName(review.reviewer, options.audience, s.yourRadiologist)}. Signed off ${fmtDate(review.signedOffAt, s.lang)}` +
      ` (review version ${review.version}).`,
  );
  if (review.amendmentReason) text(`Amended: ${review.amendmentReason}`);
  doc.fillColor(INK);

  // Findings table
  heading(patient ? s.aiHeading : "AI findings (calibrated scores)");
  if (patient) {
    doc.fontSize(9).fillColor(MUTED);
    text(`${s.likelyMeaning} ${s.unlikelyMeaning} ${s.scoreMeaning}`);
    doc.moveDown(0.4).fillColor(INK);
  }
  drawFindingsTable(doc, report, patient, s, width);

  // What software measured on the film, apart from the radiologist's own measurements.
  const software = softwareLines(report, patient, s);
  if (software) {
    heading(patient ? s.software.heading : "Measured by software (anatomy model)");
    if (software.intro) {
      doc.fontSize(9).fillColor(MUTED);
      text(software.intro);
      doc.moveDown(0.3).fillColor(INK);
    }
    doc.fontSize(10);
    for (const line of software.lines) text(line);
  }

  // Images
  if (images.base || images.heatmaps.length) {
    doc.addPage();
    heading(patient ? s.imageHeading : "Image and heatmaps of positive findings");
    if (images.heatmaps.length) {
      doc.fontSize(9).fillColor(MUTED);
      text(patient ? s.heatmapIntro : "Class activation maps of the findings the model called positive (model's centre crop).");
      doc.fillColor(INK);
    }
    drawImageGrid(doc, images, patient, s, width);
  }

  // Model and disclaimer
  heading(patient ? s.aboutHeading : "Model and disclaimer");
  doc.fontSize(10);
  text(
    patient
      ? s.modelLine(model.name ?? "unknown", model.version ?? "", model.trained)
      : `Model: ${model.name ?? "unknown"}, version ${model.version ?? "unknown"}, ` +
          `${model.trained === false ? "UNTRAINED (demonstration weights)" : model.trained ? "trained" : "training status unknown"}.`,
  );
  if (patient) {
    doc.moveDown(0.3);
    const learned = model.trained === false ? s.aiLearnedUntrained : s.aiLearnedTrained;
    for (const line of [...s.aiIs, learned, ...s.aiIsNot]) text(`\u2022 ${line}`);
  }
  doc.moveDown(0.4).fontSize(9).fillColor(MUTED);
  text(REPORT_DISCLAIMER);
  if (patient) text(s.questions);

  // Footer on every page
  return frame.finish(`Generated ${fmtDate(options.now ?? new Date(), s.lang)}`);
}

function drawFindingsTable(doc: PDFKit.PDFDocument, report: ReportData, patient: boolean, s: PatientStrings, width: number) {
  const cols = [0.46, 0.14, 0.16, 0.24].map((f) => f * width);
  const headers = ["Finding", "Score", "AI call", "Radiologist"];
  const rowText = (f: ReportData["findings"][number]) => {
    const decision = report.review.decisions[f.label];
    const term = display(f.label);
    return [
      patient ? `${glossaryFor(f.label, s).plain} (${term})` : term,
      fmtScore(f.calibrated),
      f.calibrated === null ? (patient ? s.notAssessed : "Not assessed") : f.positive ? (patient ? s.likely : "Positive") : patient ? s.unlikely : "Negative",
      decision === "agree" ? "Agrees" : decision === "disagree" ? "Disagrees" : "-",
    ];
  };
  const table = { margin: MARGIN, width, cols, fontSize: 9, padX: 4, padY: 3 };
  tableRow(doc, table, headers, { bold: true });
  // Positive findings first (highlighted), then the rest by score: the order a reader scans.
  const rows = [...report.findings].sort((a, b) => Number(b.positive) - Number(a.positive) || byScore(a, b));
  for (const f of rows) tableRow(doc, table, rowText(f), { shade: f.positive ? "#fef3c7" : undefined });
}

function drawImageGrid(doc: PDFKit.PDFDocument, images: ReportImages, patient: boolean, s: PatientStrings, width: number) {
  const gap = 14;
  const cell = (width - gap) / 2;
  // Tiles stay a little under half the width so a film and three heatmaps fit on one page with the notes.
  const maxTile = 190;
  const tiles: { caption: string; image: Buffer }[] = [
    ...(images.base ? [{ caption: patient ? s.imageAlt : "Image", image: images.base }] : []),
    ...images.heatmaps.map((h) => ({
      caption: patient ? `${s.heatmapHeading}: ${glossaryFor(h.label, s).plain} (${display(h.label)})` : `Heatmap: ${display(h.label)}`,
      image: h.image,
    })),
  ];
  doc.moveDown(0.5);
  // Films are rarely square: size each row to its tallest image so captions sit right under them.
  const fitted = tiles.map((t) => {
    const img = openImage(doc, t.image);
    const scale = Math.min(cell / img.width, maxTile / img.height);
    return { ...t, img, w: img.width * scale, h: img.height * scale };
  });
  for (let i = 0; i < fitted.length; i += 2) {
    const row = fitted.slice(i, i + 2);
    const imageHeight = Math.max(...row.map((t) => t.h));
    doc.font(SANS).fontSize(9);
    const captions = row.map((t) => printable(doc, t.caption));
    const captionHeight = Math.max(...captions.map((c) => doc.heightOfString(c, { width: cell })));
    const rowHeight = imageHeight + captionHeight + 18;
    if (doc.y + rowHeight > doc.page.height - MARGIN - 10) doc.addPage();
    const top = doc.y;
    row.forEach((t, j) => {
      const x = MARGIN + j * (cell + gap);
      doc.image(t.img as unknown as Buffer, x + (cell - t.w) / 2, top + (imageHeight - t.h), { width: t.w, height: t.h });
      doc.fillColor(INK).text(captions[j], x, top + imageHeight + 4, { width: cell, align: "center" });
    });
    doc.x = MARGIN;
    doc.y = top + rowHeight;
  }
  if (images.heatmaps.length) drawLegend(doc, patient, s);
}

// PDFKit opens an image once (to read its size) and embeds that same object; its types omit openImage.
function openImage(doc: PDFKit.PDFDocument, src: Buffer): { width: number; height: number } {
  return (doc as unknown as { openImage(src: Buffer): { width: number; height: number } }).openImage(src);
}

function drawLegend(doc: PDFKit.PDFDocument, patient: boolean, s: PatientStrings) {
  const top = doc.y + 4;
  const w = 160;
  const grad = doc.linearGradient(MARGIN, 0, MARGIN + w, 0);
  grad.stop(0, "#00008c").stop(0.35, "#0096ff").stop(0.6, "#ffe600").stop(0.8, "#ff7800").stop(1, "#cd0000");
  doc.rect(MARGIN, top, w, 8).fill(grad);
  doc.font(SANS).fontSize(8).fillColor(MUTED);
  doc.text(printable(doc, patient ? s.heatmapLegendLow : "low"), MARGIN, top + 11, { width: w / 2, lineBreak: false });
  doc.text(printable(doc, patient ? s.heatmapLegendHigh : "high"), MARGIN + w / 2, top + 11, { width: w / 2, align: "right", lineBreak: false });
  doc.x = MARGIN;
  doc.y = top + 26;
  doc.fillColor(INK);
}
