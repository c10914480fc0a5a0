import os from "node:os";
import { CheckpointError } from "@/lib/inference/errors";
import { DTYPE_BYTES, type DType, type TensorRef } from "./torch-pickle";

// Turns storage bytes plus (offset, shape, stride) into dense row-major float32 values. Every dtype is
// widened or narrowed to float32 because that is what the ONNX graph stores.

export interface Tensor {
  /** dtype of the checkpoint storage before conversion to float32. */
  dtype: DType;
  shape: number[];
  data: Float32Array;
}

if (os.endianness() !== "LE") throw new Error("the checkpoint reader assumes a little-endian host");

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac ? Number.NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/** All elements of a storage as float32 (copied, so alignment of the source bytes does not matter). */
export function storageToFloat32(bytes: Uint8Array, dtype: DType): Float32Array {
  const size = DTYPE_BYTES[dtype];
  if (bytes.length % size !== 0) {
    throw new CheckpointError("CHECKPOINT_UNEXPECTED_STRUCTURE", `storage of ${bytes.length} bytes is not a whole number of ${dtype}`);
  }
  const n = bytes.length / size;
  const aligned = new Uint8Array(bytes).buffer; // copy: zip entries sit at arbitrary offsets
  switch (dtype) {
    case "float32":
      return new Float32Array(aligned);
    case "float64":
      return Float32Array.from(new Float64Array(aligned));
    case "float16": {
      const src = new Uint16Array(aligned);
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = halfToFloat(src[i]);
      return out;
    }
    case "bfloat16": {
      const src = new Uint16Array(aligned);
      const bits = new Uint32Array(n);
      for (let i = 0; i < n; i++) bits[i] = src[i] << 16;
      return new Float32Array(bits.buffer);
    }
    case "int64": {
      const src = new BigInt64Array(aligned);
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = Number(src[i]);
      return out;
    }
    case "int32":
      return Float32Array.from(new Int32Array(aligned));
    case "int16":
      return Float32Array.from(new Int16Array(aligned));
    case "int8":
      return Float32Array.from(new Int8Array(aligned));
    case "uint8":
    case "bool":
      return Float32Array.from(new Uint8Array(aligned));
  }
}

/** Gather a (possibly strided) view into a dense row-major array, with bounds checked. */
export function materialize(ref: TensorRef, storage: Float32Array, name: string): Tensor {
  const { shape, stride } = ref;
  const base = ref.storage.elementOffset + ref.offset;
  const numel = shape.reduce((a, b) => a * b, 1);
  let maxIndex = base;
  for (let d = 0; d < shape.length; d++) if (shape[d] > 0) maxIndex += (shape[d] - 1) * stride[d];
  if (numel > 0 && maxIndex >= storage.length) {
    throw new CheckpointError(
      "CHECKPOINT_TRUNCATED",
      `tensor "${name}" reaches element ${maxIndex} of a storage holding ${storage.length} (file truncated?)`,
    );
  }
  const out = new Float32Array(numel);
  if (numel === 0) return { dtype: ref.storage.dtype, shape, data: out };

  let contiguous = true;
  for (let d = shape.length - 1, expect = 1; d >= 0; d--) {
    if (shape[d] !== 1 && stride[d] !== expect) contiguous = false;
    expect *= shape[d];
  }
  if (contiguous) {
    out.set(storage.subarray(base, base + numel));
    return { dtype: ref.storage.dtype, shape, data: out };
  }
  const idx = new Array<number>(shape.length).fill(0);
  for (let i = 0; i < numel; i++) {
    let off = base;
    for (let d = 0; d < shape.length; d++) off += idx[d] * stride[d];
    out[i] = storage[off];
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++idx[d] < shape[d]) break;
      idx[d] = 0;
    }
  }
  return { dtype: ref.storage.dtype, shape, data: out };
}
