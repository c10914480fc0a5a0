// Which received instances are chest radiographs this app can analyse. Everything else is refused on
// its own, with a reason, while the other instances of the same request carry on.

import { isValidUid, type InstanceHeader } from "@/lib/uploads/instance-header";

export const RADIOGRAPH_SOP_CLASSES: Readonly<Record<string, string>> = {
  "1.2.840.10008.5.1.4.1.1.1": "Computed Radiography",
  "1.2.840.10008.5.1.4.1.1.1.1": "Digital X-Ray (for presentation)",
  "1.2.840.10008.5.1.4.1.1.1.1.1": "Digital X-Ray (for processing)",
};
const RADIOGRAPH_MODALITIES = new Set(["CR", "DX"]);
/**
 * Secondary Capture images: a chest film digitised or forwarded as a capture (modality CR, DX or OT,
 * "other", as film digitisers write). Analysed like a radiograph; the input gate still judges the
 * picture itself.
 */
export const SECONDARY_CAPTURE_SOP_CLASSES: Readonly<Record<string, string>> = {
  "1.2.840.10008.5.1.4.1.1.7": "Secondary Capture Image",
  "1.2.840.10008.5.1.4.1.1.7.2": "Multi-frame Grayscale Byte Secondary Capture Image",
  "1.2.840.10008.5.1.4.1.1.7.3": "Multi-frame Grayscale Word Secondary Capture Image",
};
const CAPTURE_MODALITIES = new Set(["CR", "DX", "OT"]);
/** Names of classes that are often sent by mistake, for refusals a person can act on. */
const OTHER_SOP_CLASSES: Readonly<Record<string, string>> = {
  "1.2.840.10008.5.1.4.1.1.2": "CT Image",
  "1.2.840.10008.5.1.4.1.1.4": "MR Image",
  "1.2.840.10008.5.1.4.1.1.6.1": "Ultrasound Image",
  "1.2.840.10008.5.1.4.1.1.12.1": "X-Ray Angiographic Image",
  "1.2.840.10008.5.1.4.1.1.1.2": "Digital Mammography X-Ray Image",
  "1.2.840.10008.5.1.4.1.1.7.4": "Multi-frame True Color Secondary Capture Image",
  "1.2.840.10008.5.1.4.1.1.88.11": "Basic Text SR",
  "1.2.840.10008.5.1.4.1.1.88.22": "Enhanced SR",
  "1.2.840.10008.5.1.4.1.1.88.33": "Comprehensive SR",
  "1.2.840.10008.5.1.4.1.1.104.1": "Encapsulated PDF",
  "1.2.840.10008.5.1.4.1.1.11.1": "Grayscale Softcopy Presentation State",
  "1.2.840.10008.5.1.4.1.1.77.1.4": "VL Photographic Image",
};

/** The SOP class by its name where known, else by its UID. */
function sopClassName(uid: string): string {
  const name = RADIOGRAPH_SOP_CLASSES[uid] ?? SECONDARY_CAPTURE_SOP_CLASSES[uid] ?? OTHER_SOP_CLASSES[uid];
  if (!uid) return "no SOP Class";
  return name ? `${name} (SOP Class ${uid})` : `SOP Class ${uid}`;
}
/** Body parts a chest radiograph is filed under; absent is accepted (many modalities leave it out). */
const CHEST_BODY_PARTS = new Set(["CHEST", "THORAX", "LUNG", "CHEST_LAT", "TORSO"]);

/** Null when the instance may be analysed, else why not, in words. */
export function refusalOf(h: InstanceHeader): string | null {
  if (!isValidUid(h.sopInstanceUid)) return "The instance has no valid SOP Instance UID (0008,0018).";
  const capture = Boolean(SECONDARY_CAPTURE_SOP_CLASSES[h.sopClassUid]);
  if (!RADIOGRAPH_SOP_CLASSES[h.sopClassUid] && !capture) {
    const modality = h.modality ? `, modality ${h.modality}` : "";
    return (
      `This instance is a ${sopClassName(h.sopClassUid)}${modality}; only chest radiographs are analysed ` +
      "(CR, DX or a Secondary Capture of a chest film)."
    );
  }
  if (capture && h.modality && !CAPTURE_MODALITIES.has(h.modality)) {
    return `This ${sopClassName(h.sopClassUid)} has modality ${h.modality}; only captures of chest radiographs (modality CR, DX or OT) are analysed.`;
  }
  if (!capture && h.modality && !RADIOGRAPH_MODALITIES.has(h.modality)) {
    return `This instance has modality ${h.modality}; only chest radiographs (CR or DX) are analysed.`;
  }
  if (h.bodyPart && !CHEST_BODY_PARTS.has(h.bodyPart)) {
    return `This radiograph is of the ${h.bodyPart.toLowerCase()}, not the chest; the model reads chest radiographs only.`;
  }
  return null;
}
