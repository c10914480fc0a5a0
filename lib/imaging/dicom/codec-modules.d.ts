// Type declarations for the codec packages, which ship JavaScript (Emscripten glue + WASM) without
// usable typings. Only the members this project calls are declared.

interface EmscriptenFrameInfo {
  width: number;
  height: number;
  bitsPerSample: number;
  componentCount: number;
  isSigned?: boolean;
}

interface EmscriptenImageDecoder {
  getEncodedBuffer(length: number): Uint8Array;
  getDecodedBuffer(): Uint8Array;
  decode(): void;
  readHeader?(): void;
  getFrameInfo(): EmscriptenFrameInfo;
  delete(): void;
}

type EmscriptenCodecFactory<K extends string> = (options?: object) => Promise<{
  [key in K]: new () => EmscriptenImageDecoder;
}>;

declare module "@cornerstonejs/codec-charls/decodewasmjs" {
  const factory: EmscriptenCodecFactory<"JpegLSDecoder">;
  export default factory;
}

declare module "@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs" {
  const factory: EmscriptenCodecFactory<"JPEGDecoder">;
  export default factory;
}

declare module "@cornerstonejs/codec-openjpeg/decodewasmjs" {
  const factory: EmscriptenCodecFactory<"J2KDecoder">;
  export default factory;
}

declare module "@cornerstonejs/codec-openjph" {
  const factory: EmscriptenCodecFactory<"HTJ2KDecoder">;
  export default factory;
}

declare module "jpeg-lossless-decoder-js" {
  export class Decoder {
    constructor(buffer?: ArrayBuffer, numBytes?: number);
    decode(buffer: ArrayBuffer, offset: number, length: number, numBytes?: number): Uint8Array | Uint16Array;
  }
}
