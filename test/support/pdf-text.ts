// Test tooling: the text of a PDF as a reader's software sees it (pdf.js, Mozilla's PDF engine), for
// assertions that a report really contains what it should. Used by Vitest and Playwright specs.
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";

/** All text of the PDF, page by page, with runs of whitespace collapsed to one space. */
export async function extractPdfText(pdf: Uint8Array | Buffer): Promise<string> {
  const data = new Uint8Array(pdf.buffer.slice(pdf.byteOffset, pdf.byteOffset + pdf.byteLength));
  const doc = await getDocument({ data, useSystemFonts: false, isEvalSupported: false, verbosity: 0 }).promise;
  try {
    const pages: string[] = [];
    for (let i = 1; i <= doc.numPages; i++) {
      const content = await (await doc.getPage(i)).getTextContent();
      pages.push(content.items.map((item) => ("str" in item ? item.str + (item.hasEOL ? "\n" : " ") : "")).join(""));
    }
    return pages.join("\n").replace(/[ \t]+/g, " ");
  } finally {
    await doc.destroy();
  }
}

/** Page count, for checks that a section did not vanish. */
export async function pdfPageCount(pdf: Uint8Array | Buffer): Promise<number> {
  const data = new Uint8Array(pdf.buffer.slice(pdf.byteOffset, pdf.byteOffset + pdf.byteLength));
  const doc = await getDocument({ data, verbosity: 0 }).promise;
  const n = doc.numPages;
  await doc.destroy();
  return n;
}
