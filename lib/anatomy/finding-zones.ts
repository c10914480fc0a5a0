import { largestComponent } from "./components";
import { lungZone, type LungZone } from "./lung-zones";
import { TARGET_INDEX, unpackMask } from "./masks";

// Each finding's heatmap peak named by lung zone. The classifier's CAM grid (h x w cells) and the anatomy
// masks are two resolutions of the same centre crop of the film, so CAM cell (row, col) covers
// [col*size/w, (col+1)*size/w) x [row*size/h, (row+1)*size/h) of the size x size mask frame. Pure.

export interface CamInput {
  /** [classes, h, w] row-major */
  data: ArrayLike<number>;
  shape: readonly [number, number, number] | readonly number[];
}

/** The peak cell of one class's map: the first maximum in row-major order. */
export function camPeak(cam: CamInput, classIndex: number): { row: number; col: number } {
  const [, h, w] = cam.shape;
  const base = classIndex * h * w;
  let best = 0;
  for (let i = 1; i < h * w; i++) if (cam.data[base + i] > cam.data[base + best]) best = i;
  return { row: Math.floor(best / w), col: best % w };
}

/** Lung components from packed anatomy masks (largest 8-connected component of each lung). */
export function lungsFromPacked(packed: Uint8Array, size: number): { left: Uint8Array; right: Uint8Array } {
  return {
    left: largestComponent(unpackMask(packed, TARGET_INDEX.leftLung, size), size, size),
    right: largestComponent(unpackMask(packed, TARGET_INDEX.rightLung, size), size, size),
  };
}

export function findingZone(cam: CamInput, classIndex: number, lungs: { left: Uint8Array; right: Uint8Array }, size: number): LungZone | null {
  const [, h, w] = cam.shape;
  const { row, col } = camPeak(cam, classIndex);
  return lungZone({ x: (col * size) / w, y: (row * size) / h, width: size / w, height: size / h }, lungs, size, size);
}
