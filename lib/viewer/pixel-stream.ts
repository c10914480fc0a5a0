// The high-bit pixel stream of a stored image, computed once from the original file and kept in
// storage beside the renderings (content-addressed, so it never goes stale).
import "server-only";
import { gzipSync } from "fflate";
import { decodeImage } from "@/lib/imaging";
import { getStored, putStored } from "@/lib/storage/content-store";
import { hiBitPixels } from "./hi-bit";
import { PixelHeader } from "./pixel-header";

export interface PixelStream {
  header: PixelHeader;
  /** gzip of the uint16 little-endian values. */
  gz: Uint8Array;
}

// Stored layout: uint32 LE header length, the header JSON, the gzip body. A zero length records that
// the image has no more than 8 bits to offer, so it is not decoded again on the next view.
function pack(stream: PixelStream | null): Uint8Array {
  const json = stream ? new TextEncoder().encode(JSON.stringify(stream.header)) : new Uint8Array(0);
  const out = new Uint8Array(4 + json.length + (stream?.gz.length ?? 0));
  new DataView(out.buffer).setUint32(0, json.length, true);
  out.set(json, 4);
  if (stream) out.set(stream.gz, 4 + json.length);
  return out;
}

function unpack(buf: Uint8Array): PixelStream | null {
  const len = new DataView(buf.buffer, buf.byteOffset, buf.byteLength).getUint32(0, true);
  if (len === 0) return null;
  const header = PixelHeader.parse(JSON.parse(new TextDecoder().decode(buf.subarray(4, 4 + len))));
  return { header, gz: buf.subarray(4 + len) };
}

/** null when the image has nothing beyond its 8-bit rendering, or its original is no longer stored. */
export async function pixelStreamFor(sha256: string): Promise<PixelStream | null> {
  const cached = await getStored("pixels", sha256);
  if (cached && cached.length >= 4) return unpack(cached);
  const original = await getStored("original", sha256);
  if (!original) return null;
  const px = hiBitPixels(await decodeImage(original, { qualityGates: "warn" }));
  // Byte order: the typed array is little-endian on every platform this runs on (x86, ARM).
  const stream = px ? { header: px.header, gz: gzipSync(new Uint8Array(px.values.buffer), { level: 1 }) } : null;
  await putStored("pixels", sha256, pack(stream));
  return stream;
}
