// float32 fused multiply-add, a * b + c rounded once, for numbers that are already float32 values.
//
// torch builds its CPU kernels once per instruction set, and the AVX2 and AVX-512 builds let the
// compiler fuse some `acc += x * w` steps into one FMA instruction. TorchXRayVision's reference tensors
// were made that way, so the resize in preprocess.ts rounds those steps once, as here, to reproduce
// them bit for bit. Plain float32 arithmetic rounds twice and lands one float32 step off on many pixels.

const f = Math.fround;

/**
 * fl32(a * b + c) for float32 a, b, c. The product of two float32 values is exact in a double; the
 * double sum s is then rounded to float32 as r. That second rounding differs from a single rounding of
 * the exact sum only when s lands exactly halfway between r and its neighbour on s's other side and
 * the double sum's own rounding error (TwoSum) lies on that neighbour's side: then the neighbour is the
 * answer. Written without branches: at scales with few-bit weights (exactly 2x) a third of the sums
 * are exact and a sixth are midpoints, and branching on them mispredicts.
 */
export function fmaFloat32(a: number, b: number, c: number): number {
  const p = a * b;
  const s = p + c;
  const r = f(s);
  const half = s - r; // exact: s and r are within one float32 step
  const other = r + 2 * half; // the float32 neighbour beyond s, exactly when s is a midpoint
  const back = s - p;
  const error = p - (s - back) + (c - back); // s + error === p + c exactly
  // Float32 inputs make every term here a multiple of 2^-298, so error * half cannot underflow to 0.
  const flip = +(f(other) === other) * +(error * half > 0);
  return r + (other - r) * flip;
}
