import "server-only";
import { readFileSync } from "node:fs";
import * as nodeModule from "node:module";

// Names, impressions and translated strings come in any language, which PDF's standard fonts (WinAnsi only)
// cannot print. DejaVu Sans covers Latin, Greek, Cyrillic, Armenian, Georgian, Hebrew, Arabic and many
// symbols, not CJK, Indic or Thai. PDFKit embeds only the glyphs a report uses, with a ToUnicode map, so
// the file stays small and its text extractable and searchable.
// Right-to-left text is shaped (Arabic letters join) and each word reads right to left, but there is no
// bidirectional layout: words run left to right in the order typed, each drawn with the space typed after
// it on its left, so a Hebrew or Arabic sentence shows its words in reverse reading order with the spaces
// misplaced (and extracts so too). Single words and names print correctly.
export const SANS = "DejaVuSans";
export const SANS_BOLD = "DejaVuSans-Bold";
const FONT_FILES = {
  [SANS]: "dejavu-fonts-ttf/ttf/DejaVuSans.ttf",
  [SANS_BOLD]: "dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf",
};

// Resolved in node_modules when first needed (the build does not copy font files), read once per process;
// PDFKit parses them per document. Called through the namespace on purpose: webpack rewrites a named
// `createRequire` import into its own module registry, which knows no font files; this way Node resolves
// them (from this source file's place, which webpack keeps as import.meta.url in the server build).
let fontData: Record<string, Buffer> | null = null;
function fontFiles(): Record<string, Buffer> {
  if (!fontData) {
    // A server build moved after building no longer sits where import.meta.url says: then resolve from
    // the app's root, where `next start` runs.
    const resolvers = [nodeModule.createRequire(import.meta.url), nodeModule.createRequire(`${process.cwd()}/package.json`)];
    const resolve = (file: string) => {
      for (const r of resolvers) {
        try {
          return r.resolve(file);
        } catch {
          // try the next place
        }
      }
      throw new Error(`The report font ${file} is not installed (run npm ci).`);
    };
    fontData = Object.fromEntries(Object.entries(FONT_FILES).map(([name, file]) => [name, readFileSync(resolve(file))]));
  }
  return fontData;
}

interface GlyphCoverage {
  hasGlyphForCodePoint(codePoint: number): boolean;
}

// PDFKit keeps the fontkit font behind the current embedded font on the document; its types omit it.
function currentFont(doc: PDFKit.PDFDocument): GlyphCoverage {
  const font = (doc as unknown as { _font?: { font?: Partial<GlyphCoverage> } })._font?.font;
  if (typeof font?.hasGlyphForCodePoint !== "function") throw new Error("The current PDF font is not an embedded font");
  return font as GlyphCoverage;
}

/**
 * The text as the document's current font can print it. A character without a glyph would print as an
 * empty box or nothing at all; it becomes a visible U+FFFD (or "?" in a font without one) instead.
 */
export function printable(doc: PDFKit.PDFDocument, text: string): string {
  const font = currentFont(doc);
  const replacement = font.hasGlyphForCodePoint(0xfffd) ? "\ufffd" : "?";
  // PDFKit breaks lines at "\n" only and has no tab stops.
  const normal = text.normalize("NFC").replace(/\r\n?/g, "\n").replaceAll("\t", " ");
  return Array.from(normal, (ch) => (ch === "\n" || font.hasGlyphForCodePoint(ch.codePointAt(0) ?? 0) ? ch : replacement)).join("");
}

export function registerReportFonts(doc: PDFKit.PDFDocument): void {
  for (const [name, data] of Object.entries(fontFiles())) doc.registerFont(name, data);
}
