import "server-only";
import PDFDocument from "pdfkit";
import { printable, registerReportFonts, SANS, SANS_BOLD } from "./pdf-fonts";

// The frame every PDF of the app shares (reports and validation summaries): A4 with the embedded
// DejaVu fonts and one palette, collected into one Buffer, the red box an untrained model gets before
// anything else, and a footer with the generation time and the page on every page.

export const INK = "#1f2937";
export const MUTED = "#6b7280";
export const RULE = "#d1d5db";

export interface PdfFrame {
  doc: PDFKit.PDFDocument;
  margin: number;
  /** The text width between the margins. */
  width: number;
  /** Writes `t` at the current position across the text width, with glyphs the fonts lack made visible. */
  text: (t: string, opts?: PDFKit.Mixins.TextOptions) => PDFKit.PDFDocument;
  /** Writes `footer` and the page number on every page and ends the document: the finished file. */
  finish: (footer: string) => Promise<Buffer>;
}

export function openPdf({ margin, layout = "portrait", info }: { margin: number; layout?: "portrait" | "landscape"; info: PDFKit.DocumentInfo }): PdfFrame {
  const doc = new PDFDocument({ size: "A4", layout, margin, bufferPages: true, info: { Creator: "cxr-platform", ...info } });
  registerReportFonts(doc);
  doc.font(SANS);
  const chunks: Buffer[] = [];
  doc.on("data", (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });
  const width = doc.page.width - 2 * margin;
  const text = (t: string, opts: PDFKit.Mixins.TextOptions = {}) => doc.text(printable(doc, t), { width, ...opts });
  const finish = (footer: string) => {
    const range = doc.bufferedPageRange();
    for (let i = range.start; i < range.start + range.count; i++) {
      doc.switchToPage(i);
      // Writing inside the bottom margin would make PDFKit start a new page; lift the margin meanwhile.
      const bottom = doc.page.margins.bottom;
      doc.page.margins.bottom = 0;
      doc.font(SANS).fontSize(8).fillColor(MUTED);
      doc.text(printable(doc, `${footer}  \u2022  page ${i + 1} of ${range.count}`), margin, doc.page.height - margin + 15, {
        width,
        align: "center",
        lineBreak: false,
      });
      doc.page.margins.bottom = bottom;
    }
    doc.end();
    return done;
  };
  return { doc, margin, width, text, finish };
}

/** The red box that makes an untrained model impossible to miss: a bold title, then an optional body. */
export function untrainedBox({ doc, margin, width }: PdfFrame, title: string, body?: string): void {
  doc.moveDown(0.6);
  const top = doc.y;
  const inner = width - 20;
  doc.font(SANS_BOLD).fontSize(11);
  const heading = printable(doc, title);
  const headingHeight = doc.heightOfString(heading, { width: inner });
  doc.font(SANS).fontSize(10);
  const text = body === undefined ? null : printable(doc, body);
  const h = text === null ? headingHeight + 16 : headingHeight + doc.heightOfString(text, { width: inner }) + 24;
  doc.rect(margin, top, width, h).fillAndStroke("#fef2f2", "#b91c1c");
  doc.fillColor("#991b1b").font(SANS_BOLD).fontSize(11).text(heading, margin + 10, top + 8, { width: inner });
  if (text !== null) doc.font(SANS).fontSize(10).text(text, margin + 10, doc.y + 4, { width: inner });
  doc.x = margin;
  doc.y = top + h;
  doc.fillColor(INK);
}

export interface PdfTable {
  margin: number;
  /** The table's width, from the left margin. */
  width: number;
  /** Each column's width. */
  cols: number[];
  fontSize: number;
  /** Space between a cell's text and its column's edges, across and down. */
  padX: number;
  padY: number;
}

/**
 * Draws one table row at the current position: its cells in their columns (glyphs the fonts lack made
 * visible), on a new page first when it would run into the footer, optionally shaded, with a rule below.
 */
export function tableRow(doc: PDFKit.PDFDocument, t: PdfTable, cells: string[], { bold = false, shade }: { bold?: boolean; shade?: string } = {}): void {
  doc.font(bold ? SANS_BOLD : SANS).fontSize(t.fontSize).fillColor(INK);
  const fitted = cells.map((c) => printable(doc, c));
  const h = Math.max(...fitted.map((c, i) => doc.heightOfString(c, { width: t.cols[i] - 2 * t.padX }))) + 2 * t.padY;
  if (doc.y + h > doc.page.height - t.margin - 10) doc.addPage();
  const top = doc.y;
  if (shade) doc.rect(t.margin, top, t.width, h).fill(shade);
  doc.fillColor(INK);
  let x = t.margin;
  fitted.forEach((c, i) => {
    doc.text(c, x + t.padX, top + t.padY, { width: t.cols[i] - 2 * t.padX });
    x += t.cols[i];
  });
  doc.moveTo(t.margin, top + h).lineTo(t.margin + t.width, top + h).strokeColor(RULE).lineWidth(0.5).stroke();
  doc.x = t.margin;
  doc.y = top + h;
}
