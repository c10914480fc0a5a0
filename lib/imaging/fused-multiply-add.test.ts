import { describe, expect, it } from "vitest";
import { fmaFloat32 } from "./fused-multiply-add";

const f = Math.fround;

// Every finite float32 is an integer multiple of 2^-149, so a * b + c is an integer multiple of 2^-298:
// exact in a BigInt, then rounded to float32 by hand (round half to even). An independent answer.
const SHIFT = 298n;
function toScaledInt(x: number, scaleExp: bigint): bigint {
  if (x === 0) return 0n;
  const buf = new DataView(new ArrayBuffer(4));
  buf.setFloat32(0, x);
  const bits = buf.getUint32(0);
  const sign = bits >>> 31 ? -1n : 1n;
  const exp = (bits >>> 23) & 0xff;
  const frac = BigInt(bits & 0x7fffff);
  const mantissa = exp === 0 ? frac : frac | 0x800000n; // value = mantissa * 2^(e - 150), subnormals e = 1
  const e = BigInt(exp === 0 ? 1 : exp) - 150n;
  return sign * (mantissa << (e + scaleExp));
}
function exactFma(a: number, b: number, c: number): number {
  const sum = toScaledInt(a, 149n) * toScaledInt(b, 149n) + toScaledInt(c, SHIFT);
  if (sum === 0n) return 0;
  const negative = sum < 0n;
  const mag = negative ? -sum : sum;
  const leading = BigInt(mag.toString(2).length - 1) - SHIFT; // exponent of the leading bit
  const ulpExp = leading - 23n > -149n ? leading - 23n : -149n;
  const drop = ulpExp + SHIFT;
  let q = mag >> drop;
  const rest = mag - (q << drop);
  const half = 1n << (drop - 1n);
  if (rest > half || (rest === half && q % 2n === 1n)) q += 1n;
  const value = Number(q) * 2 ** Number(ulpExp);
  return negative ? -value : value;
}

function ulp(x: number): number {
  return 2 ** (Math.floor(Math.log2(Math.abs(x))) - 23);
}

// Small deterministic generator so a failure can be replayed.
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe("fmaFloat32", () => {
  it("rounds once where the plain float32 multiply and add round twice", () => {
    // a * b = 2^-24 - 2^-70, so a * b + c lies just below the midpoint of 1 + 2^-23 and 1 + 2^-22.
    const c = f(1 + 2 ** -23);
    const a = f(2 ** -24 * (1 + 2 ** -23));
    const b = f(1 - 2 ** -23);
    expect(fmaFloat32(a, b, c)).toBe(exactFma(a, b, c));
    expect(exactFma(a, b, c)).toBe(f(1 + 2 ** -23));
    // the double sum lands exactly on the midpoint, and rounding that to even goes the wrong way
    expect(f(a * b + c)).toBe(f(1 + 2 ** -22));
  });

  it("equals the exact single rounding on products near half a step of the addend", () => {
    const next = lcg(7);
    let plainWrong = 0;
    for (let i = 0; i < 20000; i++) {
      const c = f((1 + next()) * 2 ** Math.floor(next() * 40 - 20)) * (next() < 0.5 ? -1 : 1);
      const a = f((ulp(c) / 2) * (1 + Math.floor(next() * 8) * 2 ** -23)) * (next() < 0.5 ? -1 : 1);
      const b = f(1 - Math.floor(next() * 8) * 2 ** -23);
      const exact = exactFma(a, b, c);
      expect(fmaFloat32(a, b, c), `${a} * ${b} + ${c}`).toBe(exact);
      if (f(a * b + c) !== exact) plainWrong++;
    }
    // The cases are hard ones: rounding the double sum instead gets a share of them wrong.
    expect(plainWrong).toBeGreaterThan(100);
  });

  it("equals the exact single rounding on random float32 triples", () => {
    const next = lcg(11);
    const pick = () => f((next() * 2 - 1) * 2 ** Math.floor(next() * 30 - 15));
    for (let i = 0; i < 20000; i++) {
      const [a, b, c] = [pick(), pick(), pick()];
      expect(fmaFloat32(a, b, c), `${a} * ${b} + ${c}`).toBe(exactFma(a, b, c));
    }
  });

  it("keeps exact cases exact", () => {
    expect(fmaFloat32(0, 123.5, -7)).toBe(-7);
    expect(fmaFloat32(1, 0.25, 0.5)).toBe(0.75);
    expect(fmaFloat32(-2, 3, 6)).toBe(0);
  });
});
