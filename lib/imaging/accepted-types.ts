// What the upload drop zone offers, derived from the formats the pipeline reads (sniff.ts), so the file
// dialog never hides a format the server takes nor offers one it refuses. Runtime-free data: the browser
// imports it.
import type { ImageFormat } from "./types";

export const UPLOAD_FORMATS: Record<ImageFormat, { name: string; extensions: string[]; mimeTypes: string[] }> = {
  png: { name: "PNG", extensions: [".png"], mimeTypes: ["image/png"] },
  jpeg: { name: "JPEG", extensions: [".jpg", ".jpeg"], mimeTypes: ["image/jpeg"] },
  webp: { name: "WebP", extensions: [".webp"], mimeTypes: ["image/webp"] },
  tiff: { name: "TIFF", extensions: [".tif", ".tiff"], mimeTypes: ["image/tiff"] },
  dicom: { name: "DICOM", extensions: [".dcm", ".dicom"], mimeTypes: ["application/dicom"] },
};

const formats = Object.values(UPLOAD_FORMATS);

/** The file input's `accept`: every extension, then every media type. */
export const UPLOAD_ACCEPT = [...formats.flatMap((f) => f.extensions), ...formats.flatMap((f) => f.mimeTypes)].join(",");

/** "PNG, JPEG, WebP, TIFF or DICOM" */
export const UPLOAD_FORMAT_NAMES = `${formats
  .slice(0, -1)
  .map((f) => f.name)
  .join(", ")} or ${formats[formats.length - 1].name}`;
