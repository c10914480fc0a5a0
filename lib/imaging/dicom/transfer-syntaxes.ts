// Transfer syntaxes the decoder reads, by family. Anything else is refused by name (video, JPIP,
// JPEG 2000 Part 2, JPEG XL...) so the user learns which export setting to change.

export type PixelEncoding =
  | "native"
  | "encapsulated-native"
  | "rle"
  | "jpeg-baseline"
  | "jpeg-lossless"
  | "jpeg-ls"
  | "jpeg2000"
  | "htj2k";

export interface TransferSyntax {
  uid: string;
  name: string;
  encoding: PixelEncoding;
  bigEndian?: boolean;
}

const LIST: TransferSyntax[] = [
  { uid: "1.2.840.10008.1.2", name: "Implicit VR Little Endian", encoding: "native" },
  { uid: "1.2.840.10008.1.2.1", name: "Explicit VR Little Endian", encoding: "native" },
  { uid: "1.2.840.10008.1.2.1.98", name: "Encapsulated Uncompressed Explicit VR Little Endian", encoding: "encapsulated-native" },
  { uid: "1.2.840.10008.1.2.1.99", name: "Deflated Explicit VR Little Endian", encoding: "native" },
  { uid: "1.2.840.10008.1.2.2", name: "Explicit VR Big Endian", encoding: "native", bigEndian: true },
  { uid: "1.2.840.10008.1.2.4.50", name: "JPEG Baseline (Process 1)", encoding: "jpeg-baseline" },
  { uid: "1.2.840.10008.1.2.4.51", name: "JPEG Extended (Process 2 & 4)", encoding: "jpeg-baseline" },
  { uid: "1.2.840.10008.1.2.4.57", name: "JPEG Lossless, Non-Hierarchical (Process 14)", encoding: "jpeg-lossless" },
  { uid: "1.2.840.10008.1.2.4.70", name: "JPEG Lossless, First-Order Prediction (Process 14 SV1)", encoding: "jpeg-lossless" },
  { uid: "1.2.840.10008.1.2.4.80", name: "JPEG-LS Lossless", encoding: "jpeg-ls" },
  { uid: "1.2.840.10008.1.2.4.81", name: "JPEG-LS Near-Lossless", encoding: "jpeg-ls" },
  { uid: "1.2.840.10008.1.2.4.90", name: "JPEG 2000 Lossless", encoding: "jpeg2000" },
  { uid: "1.2.840.10008.1.2.4.91", name: "JPEG 2000", encoding: "jpeg2000" },
  { uid: "1.2.840.10008.1.2.4.201", name: "High-Throughput JPEG 2000 Lossless", encoding: "htj2k" },
  { uid: "1.2.840.10008.1.2.4.202", name: "High-Throughput JPEG 2000 with RPCL Lossless", encoding: "htj2k" },
  { uid: "1.2.840.10008.1.2.4.203", name: "High-Throughput JPEG 2000", encoding: "htj2k" },
  { uid: "1.2.840.10008.1.2.5", name: "RLE Lossless", encoding: "rle" },
];

const BY_UID = new Map(LIST.map((t) => [t.uid, t]));

/** Names of syntaxes that are recognised but not decoded, for a clearer refusal message. */
const KNOWN_UNSUPPORTED: Record<string, string> = {
  "1.2.840.10008.1.2.4.92": "JPEG 2000 Part 2 Multi-component Lossless",
  "1.2.840.10008.1.2.4.93": "JPEG 2000 Part 2 Multi-component",
  "1.2.840.10008.1.2.4.94": "JPIP Referenced",
  "1.2.840.10008.1.2.4.95": "JPIP Referenced Deflate",
  "1.2.840.10008.1.2.4.100": "MPEG2 Main Profile",
  "1.2.840.10008.1.2.4.101": "MPEG2 High Profile",
  "1.2.840.10008.1.2.4.102": "MPEG-4 AVC/H.264",
  "1.2.840.10008.1.2.4.103": "MPEG-4 AVC/H.264 BD-compatible",
  "1.2.840.10008.1.2.4.104": "MPEG-4 AVC/H.264 for 2D Video",
  "1.2.840.10008.1.2.4.105": "MPEG-4 AVC/H.264 for 3D Video",
  "1.2.840.10008.1.2.4.106": "MPEG-4 AVC/H.264 Stereo",
  "1.2.840.10008.1.2.4.107": "HEVC/H.265 Main Profile",
  "1.2.840.10008.1.2.4.108": "HEVC/H.265 Main 10 Profile",
  "1.2.840.10008.1.2.4.110": "JPEG XL Lossless",
  "1.2.840.10008.1.2.4.111": "JPEG XL JPEG Recompression",
  "1.2.840.10008.1.2.4.112": "JPEG XL",
  "1.2.840.10008.1.2.4.52": "JPEG Extended (Process 3 & 5, retired)",
  "1.2.840.10008.1.2.4.53": "JPEG Spectral Selection (retired)",
  "1.2.840.10008.1.2.4.55": "JPEG Full Progression (retired)",
};

export function lookupTransferSyntax(uid: string): TransferSyntax | undefined {
  return BY_UID.get(uid);
}

export function describeTransferSyntax(uid: string): string {
  return BY_UID.get(uid)?.name ?? KNOWN_UNSUPPORTED[uid] ?? "an unknown transfer syntax";
}

export const SUPPORTED_TRANSFER_SYNTAXES: readonly TransferSyntax[] = LIST;
