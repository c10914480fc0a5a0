// DICOM Part 10 parsing with dicom-parser, with its failure modes (thrown strings, plain objects,
// unbounded inflation of deflated datasets) turned into typed errors.
import "server-only";
import zlib from "node:zlib";
import * as dicomParserNs from "dicom-parser";
import type { DataSet } from "dicom-parser";
import { ImagingError } from "../errors";
import { MAX_INFLATED_BYTES } from "../limits";

const DEFLATED = "1.2.840.10008.1.2.1.99";

// dicom-parser is a UMD bundle: under Node's ESM loader its functions sit on `default`, under a
// bundler on the namespace itself.
export const dicomParser = ((dicomParserNs as unknown as { default?: typeof dicomParserNs }).default ??
  dicomParserNs) as typeof dicomParserNs;

/** dicom-parser calls this for the deflated syntax; bounded so a tiny file cannot inflate to gigabytes. */
function boundedInflater(byteArray: Uint8Array, position: number): Uint8Array {
  let inflated: Buffer;
  try {
    inflated = zlib.inflateRawSync(byteArray.subarray(position), { maxOutputLength: MAX_INFLATED_BYTES });
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === "ERR_BUFFER_TOO_LARGE") {
      throw new ImagingError("decompression_bomb", "The deflated DICOM dataset expands beyond the size limit.");
    }
    throw new ImagingError("corrupt", "The deflated DICOM dataset could not be inflated: the file is damaged.", {
      cause: e,
    });
  }
  const full = Buffer.allocUnsafe(position + inflated.length);
  full.set(byteArray.subarray(0, position), 0);
  full.set(inflated, position);
  return full;
}

function unwrap(e: unknown): unknown {
  // parseDicom wraps dataset errors as { exception, dataSet }.
  if (e && typeof e === "object" && "exception" in e) return (e as { exception: unknown }).exception;
  return e;
}

export function parseDicomFile(buf: Buffer, options: { untilPixelData?: boolean } = {}): DataSet {
  try {
    return dicomParser.parseDicom(buf, {
      // The inflater type in index.d.ts says void; the implementation uses the returned array.
      inflater: boundedInflater as unknown as (arr: Uint8Array, position: number) => void,
      ...(options.untilPixelData ? { untilTag: "x7fe00010" } : {}),
    });
  } catch (raw) {
    const e = unwrap(raw);
    if (e instanceof ImagingError) throw e;
    const text = typeof e === "string" ? e : e instanceof Error ? e.message : "";
    if (/no inflater|deflate/i.test(text)) {
      throw new ImagingError("corrupt", "The deflated DICOM dataset could not be inflated.", { cause: e });
    }
    if (/overrun|overread|beyond|cannot seek|end of/i.test(text)) {
      throw new ImagingError("truncated", "The DICOM data runs past the end of the file: it is truncated or damaged.", {
        cause: e,
      });
    }
    throw new ImagingError("corrupt", "The DICOM file could not be parsed: its structure is damaged.", { cause: e });
  }
}

export function transferSyntaxOf(ds: DataSet): string {
  const uid = ds.string("x00020010");
  if (!uid) throw new ImagingError("corrupt", "The DICOM file has no Transfer Syntax UID (0002,0010).");
  return uid.replace(/\0/g, "").trim();
}

export { DEFLATED as DEFLATED_TRANSFER_SYNTAX };
