// Model-scale pixel buffers (4 bytes a pixel, the largest allocation of a decode) handed back by the
// worker once an image's model input is made, and given to the next decode of a similar size. Made anew
// for every upload they were megabytes of garbage per image, and V8 answers each ~64 MB of fresh
// array-buffer memory with a full mark-compact of the whole heap.
//
// Only code that owns a buffer outright may give it back (the worker's pipeline, which drops the decoded
// image right after); everyone else simply lets theirs be collected.

/** Pooled bytes kept at most: two buffers of a 2800 x 2800 film, many of smaller images. */
const MAX_POOLED_BYTES = 64 * 1024 * 1024;
/** A pooled buffer serves a request if it wastes at most this share of itself. */
const MAX_SLACK = 0.25;

const free: Float32Array[] = [];
let pooledBytes = 0;

/**
 * A Float32Array of exactly `length` values whose contents are unspecified (the caller writes every
 * value): a pooled buffer when one fits, else a new one.
 */
export function takePixelBuffer(length: number): Float32Array {
  let best = -1;
  for (let i = 0; i < free.length; i++) {
    const capacity = free[i].length;
    if (capacity >= length && capacity * (1 - MAX_SLACK) <= length && (best < 0 || capacity < free[best].length)) best = i;
  }
  if (best < 0) return new Float32Array(length);
  const [buffer] = free.splice(best, 1);
  pooledBytes -= buffer.byteLength;
  return buffer.length === length ? buffer : buffer.subarray(0, length);
}

/** Gives a buffer from takePixelBuffer back; the caller must hold no other reference to it. */
export function returnPixelBuffer(pixels: Float32Array): void {
  // takePixelBuffer's views start at their buffer's first byte; anything else is not ours to keep.
  if (pixels.byteOffset !== 0 || pixels.buffer.byteLength % 4 !== 0) return;
  const whole = pixels.byteLength === pixels.buffer.byteLength ? pixels : new Float32Array(pixels.buffer);
  // An empty one (a buffer since transferred to another thread is detached) could never serve a request.
  if (whole.byteLength === 0 || whole.byteLength > MAX_POOLED_BYTES || free.some((f) => f.buffer === whole.buffer)) return;
  // The oldest go first: sizes of recent uploads are the likeliest next.
  while (free.length > 0 && pooledBytes + whole.byteLength > MAX_POOLED_BYTES) pooledBytes -= free.shift()!.byteLength;
  free.push(whole);
  pooledBytes += whole.byteLength;
}

/** For tests: what the pool holds now. */
export function pixelPoolState(): { buffers: number; bytes: number } {
  return { buffers: free.length, bytes: pooledBytes };
}
