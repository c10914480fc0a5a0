// Outline of the high-activation region of a heatmap: marching squares at one iso-level over a grid,
// returned as line segments in grid coordinates (cell centres at integer positions).

export type Segment = [number, number, number, number];

/**
 * Segments where the field crosses `level`. Saddle cells are resolved by the cell's mean so the outline
 * does not depend on the scan order.
 */
export function isoContour(values: ArrayLike<number>, width: number, height: number, level: number): Segment[] {
  const segs: Segment[] = [];
  const at = (x: number, y: number) => values[y * width + x];
  const lerp = (a: number, b: number) => (a === b ? 0.5 : (level - a) / (b - a));
  for (let y = 0; y < height - 1; y++) {
    for (let x = 0; x < width - 1; x++) {
      const tl = at(x, y);
      const tr = at(x + 1, y);
      const br = at(x + 1, y + 1);
      const bl = at(x, y + 1);
      const code = (tl >= level ? 8 : 0) | (tr >= level ? 4 : 0) | (br >= level ? 2 : 0) | (bl >= level ? 1 : 0);
      if (code === 0 || code === 15) continue;
      // Edge crossing points: top, right, bottom, left.
      const top: [number, number] = [x + lerp(tl, tr), y];
      const right: [number, number] = [x + 1, y + lerp(tr, br)];
      const bottom: [number, number] = [x + lerp(bl, br), y + 1];
      const left: [number, number] = [x, y + lerp(tl, bl)];
      const add = (a: [number, number], b: [number, number]) => segs.push([a[0], a[1], b[0], b[1]]);
      const centreHigh = (tl + tr + br + bl) / 4 >= level;
      switch (code) {
        case 1: case 14: add(left, bottom); break;
        case 2: case 13: add(bottom, right); break;
        case 3: case 12: add(left, right); break;
        case 4: case 11: add(top, right); break;
        case 6: case 9: add(top, bottom); break;
        case 7: case 8: add(left, top); break;
        case 5:
          if (centreHigh) { add(left, top); add(bottom, right); } else { add(left, bottom); add(top, right); }
          break;
        case 10:
          if (centreHigh) { add(left, bottom); add(top, right); } else { add(left, top); add(bottom, right); }
          break;
      }
    }
  }
  return segs;
}
