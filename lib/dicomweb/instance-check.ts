// Which received instances are chest radiographs this app can analyse. Everything else is refused on
// its own, with a reason, while the other instances of the same request carry on.

export const RADIOGRAPH_SOP_CLASSES: Readonly<Record<string, string>> = {
  "1.2.840.10008.5.1.4.1.1.1": "Computed Radiography",
  "1.2.840.10008.5.1.4.1.1.1.1": "Digital X-Ray (for presentation)",
  "1.2.840.10008.5.1.4.1.1.1.1.1": "Digital X-Ray (for processing)",
};
const RADIOGRAPH_MODALITIES = new Set(["CR", "DX"]);
/** Body parts a chest radiograph is filed under; absent is accepted (many modalities leave it out). */
const CHEST_BODY_PARTS = new Set(["CHEST", "THORAX", "LUNG", "CHEST_LAT", "TORSO"]);

export interface InstanceHeader {
  sopClassUid: string;
  sopInstanceUid: string;
  modality: string;
  bodyPart: string;
}

/** Null when the instance may be analysed, else why not, in words. */
export function refusalOf(h: InstanceHeader): string | null {
  if (!/^[0-9.]{1,64}$/.test(h.sopInstanceUid)) return "The instance has no valid SOP Instance UID (0008,0018).";
  if (!RADIOGRAPH_SOP_CLASSES[h.sopClassUid]) {
    const what = h.modality ? `a ${h.modality} object` : "not a radiograph";
    return `This instance is ${what} (SOP Class ${h.sopClassUid || "missing"}); only chest radiographs (CR or DX images) are analysed.`;
  }
  if (h.modality && !RADIOGRAPH_MODALITIES.has(h.modality)) {
    return `This instance has modality ${h.modality}; only chest radiographs (CR or DX) are analysed.`;
  }
  if (h.bodyPart && !CHEST_BODY_PARTS.has(h.bodyPart)) {
    return `This radiograph is of the ${h.bodyPart.toLowerCase()}, not the chest; the model reads chest radiographs only.`;
  }
  return null;
}
