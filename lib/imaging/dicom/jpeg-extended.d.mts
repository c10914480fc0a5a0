// Types for jpeg-extended.mjs (plain JavaScript so the codec worker thread loads it directly).
export function decodeJpegExtended(data: Uint8Array): { width: number; height: number; precision: number; samples: Uint16Array };
