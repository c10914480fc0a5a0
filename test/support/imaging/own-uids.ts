// A fixture DICOM made a study and an instance of its own: new random UIDs of the same length written in
// place (so nothing else in the file moves). The app files an image under its Study Instance UID and
// keeps one image per SOP Instance UID, so tests that upload one fixture file as several films give each
// copy UIDs of its own.
import crypto from "node:crypto";
import * as dicomParserNs from "dicom-parser";

// dicom-parser is a UMD bundle: under Node's ESM loader its functions sit on `default`.
const dicomParser = ((dicomParserNs as unknown as { default?: typeof dicomParserNs }).default ?? dicomParserNs) as typeof dicomParserNs;

/** A random "2.25." UID of exactly `length` characters (a leading zero after the dot is not allowed). */
function randomUid(length: number): string {
  const digits = Array.from(crypto.randomBytes(length), (b) => String(b % 10)).join("");
  return `2.25.${(digits.replace(/^0+/, "") + "1".repeat(length)).slice(0, length - 5)}`;
}

/**
 * A copy of `dicom` with a new Study Instance UID (unless `study: false`) and a new SOP Instance UID
 * (also in the file meta header's Media Storage SOP Instance UID, which must match it).
 */
export function withOwnUids(dicom: Buffer, options: { study?: boolean } = {}): Buffer {
  const out = Buffer.from(dicom);
  const ds = dicomParser.parseDicom(out, { untilTag: "x7fe00010" });
  const rewrite = (tags: string[]) => {
    const els = tags.map((t) => ds.elements[t]).filter((e) => e && e.length > 5);
    if (els.length === 0) return;
    const uid = randomUid(els[0].length);
    for (const el of els) out.write(uid.padEnd(el.length, "\0").slice(0, el.length), el.dataOffset, el.length, "latin1");
  };
  if (options.study !== false) rewrite(["x0020000d"]);
  rewrite(["x00080018", "x00020003"]);
  return out;
}
