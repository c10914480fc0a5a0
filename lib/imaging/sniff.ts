// Format detection from the first bytes of the file. File names and Content-Type headers are
// client-controlled and routinely wrong (".dcm" PNG exports, extension-less PACS files), so they are
// never consulted.
import type { ImageFormat } from "./types";

function startsWith(buf: Uint8Array, bytes: number[], offset = 0): boolean {
  if (buf.length < offset + bytes.length) return false;
  for (let i = 0; i < bytes.length; i++) if (buf[offset + i] !== bytes[i]) return false;
  return true;
}

/** The format of `buf` by its magic bytes, or null when it is none the pipeline reads. */
export function sniffFormat(buf: Uint8Array): ImageFormat | null {
  // DICOM Part 10: 128-byte preamble, then "DICM".
  if (startsWith(buf, [0x44, 0x49, 0x43, 0x4d], 128)) return "dicom";
  if (startsWith(buf, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "png";
  if (startsWith(buf, [0xff, 0xd8, 0xff])) return "jpeg";
  // RIFF....WEBP
  if (startsWith(buf, [0x52, 0x49, 0x46, 0x46]) && startsWith(buf, [0x57, 0x45, 0x42, 0x50], 8)) return "webp";
  // Little- and big-endian TIFF (classic; BigTIFF is not read by libvips' default build either way).
  if (startsWith(buf, [0x49, 0x49, 0x2a, 0x00]) || startsWith(buf, [0x4d, 0x4d, 0x00, 0x2a])) return "tiff";
  return null;
}
