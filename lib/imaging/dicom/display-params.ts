// Presentation attributes for the viewer image: Modality LUT (rescale), VOI window(s), VOI LUT
// function and the first VOI LUT. The model input never uses these (TorchXRayVision reads stored
// values); a damaged optional attribute is dropped rather than failing the upload.
import type { DataSet } from "dicom-parser";
import type { DisplaySource, VoiLut, VoiWindow } from "../types";

type DicomDisplay = Extract<DisplaySource, { kind: "dicom" }>;

function numbers(ds: DataSet, tag: string): number[] {
  const out: number[] = [];
  try {
    const count = ds.numStringValues(tag) ?? 0;
    for (let i = 0; i < Math.min(count, 16); i++) {
      const v = ds.floatString(tag, i);
      if (v !== undefined && Number.isFinite(v)) out.push(v);
    }
  } catch {
    return [];
  }
  return out;
}

function readVoiLut(ds: DataSet, pixelRepresentation: 0 | 1): VoiLut | undefined {
  try {
    const item = ds.elements.x00283010?.items?.[0]?.dataSet;
    if (!item) return undefined;
    const descriptor = item.elements.x00283002;
    const dataEl = item.elements.x00283006;
    if (!descriptor || !dataEl || descriptor.length < 6) return undefined;
    const entriesRaw = item.uint16("x00283002", 0) ?? 0;
    const entries = entriesRaw === 0 ? 65536 : entriesRaw;
    const firstRaw = item.uint16("x00283002", 1) ?? 0;
    const firstMapped = pixelRepresentation === 1 && firstRaw >= 0x8000 ? firstRaw - 0x10000 : firstRaw;
    const bits = item.uint16("x00283002", 2) ?? 16;
    if (bits < 8 || bits > 16 || dataEl.length < entries * 2) return undefined;
    if (dataEl.dataOffset + entries * 2 > item.byteArray.length) return undefined;
    const data = new Uint16Array(entries);
    for (let i = 0; i < entries; i++) data[i] = item.uint16("x00283006", i) ?? 0;
    return { firstMapped, bitsPerEntry: bits, data };
  } catch {
    return undefined;
  }
}

export function readDisplayParams(
  ds: DataSet,
  stored: Int32Array,
  pixelRepresentation: 0 | 1,
  monochrome1: boolean,
): DicomDisplay {
  const slope = numbers(ds, "x00281053")[0];
  const intercept = numbers(ds, "x00281052")[0];
  const centers = numbers(ds, "x00281050");
  const widths = numbers(ds, "x00281051");
  let explanations: string[] = [];
  try {
    const n = Math.min(ds.numStringValues("x00281055") ?? 0, 16);
    explanations = Array.from({ length: n }, (_, i) => ds.string("x00281055", i) ?? "");
  } catch {
    explanations = [];
  }
  const windows: VoiWindow[] = [];
  for (let i = 0; i < Math.min(centers.length, widths.length); i++) {
    if (widths[i] > 0) {
      windows.push({ center: centers[i], width: widths[i], ...(explanations[i] ? { explanation: explanations[i].slice(0, 64) } : {}) });
    }
  }
  let fn: DicomDisplay["voiLutFunction"] = "LINEAR";
  try {
    const f = (ds.string("x00281056") ?? "").trim().toUpperCase();
    if (f === "LINEAR_EXACT" || f === "SIGMOID") fn = f;
  } catch {
    fn = "LINEAR";
  }
  const voiLut = readVoiLut(ds, pixelRepresentation);
  return {
    kind: "dicom",
    stored,
    rescaleSlope: slope !== undefined && slope !== 0 ? slope : 1,
    rescaleIntercept: intercept ?? 0,
    windows,
    voiLutFunction: fn,
    ...(voiLut ? { voiLut } : {}),
    monochrome1,
  };
}
