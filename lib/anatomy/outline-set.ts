import { unpackMask } from "./masks";
import { loopToFilm, traceOutlines } from "./outlines";

// Every structure's outlines from the packed masks, in film pixels (what the viewer draws). Pure.

const MAX_LOOPS = 8;

export function outlinesOf(packed: Uint8Array, targets: number, size: number, film: { width: number; height: number }): number[][][] {
  const out: number[][][] = [];
  for (let t = 0; t < targets; t++) {
    const loops = traceOutlines(unpackMask(packed, t, size), size, size).slice(0, MAX_LOOPS);
    out.push(loops.map((l) => loopToFilm(l, film, size)));
  }
  return out;
}
