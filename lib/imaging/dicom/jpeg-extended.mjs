// Decoder for greyscale sequential-DCT JPEG with Huffman coding (ITU-T T.81 processes 1, 2 and 4):
// the 12-bit lossy frames of DICOM's "JPEG Extended (Process 2 & 4)" syntax, which no maintained
// decoder for Node reads (libjpeg-turbo's WASM build is 8-bit only). The inverse DCT is the
// accurate integer one of the IJG library ("islow"), so a frame decodes to the same samples as
// IJG-based toolkits (DCMTK, GDCM) give. Plain JavaScript: it runs in the codec worker thread, which a
// deadline can stop should hostile input make it spin.
//
// Not supported, refused with a message: progressive and arithmetic-coded frames, more than one
// colour component, DNL-defined heights.

/** @param {string} what */
const damaged = (what) => new Error(`damaged JPEG: ${what}`);

const ZIGZAG = Uint8Array.from([
  0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28, 35, 42, 49, 56, 57, 50,
  43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
]);

/**
 * Canonical Huffman table (T.81 Annex C) as lookup arrays: for each code length, the largest code and
 * the index of its first value.
 * @param {Uint8Array} counts 16 counts of codes per length
 * @param {Uint8Array} values
 */
function huffmanTable(counts, values) {
  const maxCode = new Int32Array(18).fill(-1);
  const valOffset = new Int32Array(17);
  let code = 0;
  let k = 0;
  for (let len = 1; len <= 16; len++) {
    const n = counts[len - 1];
    if (n > 0) {
      valOffset[len] = k - code;
      code += n;
      k += n;
      maxCode[len] = code - 1;
    }
    if (code > 1 << len) throw damaged("Huffman table has too many codes");
    code <<= 1;
  }
  maxCode[17] = 0x7fffffff; // sentinel: a code longer than 16 bits is damage
  return { maxCode, valOffset, values };
}

/** The length in bits of a table's shortest code. @param {ReturnType<typeof huffmanTable>} table */
function shortestCode(table) {
  for (let len = 1; len <= 16; len++) if (table.maxCode[len] >= 0) return len;
  return 16;
}

/** Entropy-coded data reader: removes stuffed zero bytes and stops at markers (T.81 F.2.2.5). */
class BitReader {
  /** @param {Uint8Array} data @param {number} pos */
  constructor(data, pos) {
    this.data = data;
    this.pos = pos;
    this.acc = 0;
    this.bits = 0;
    /** a marker met inside the scan (RSTn, EOI...), or -1 */
    this.marker = -1;
    /** the data ended without an EOI marker: the frame is cut off */
    this.ranOut = false;
    /** zero bytes fed after the marker: bits a whole scan never needs */
    this.padBytes = 0;
  }

  /**
   * The decode has used bits that were not in the data (the zeros fed after a marker): the scan was
   * cut or a marker came early, and what was decoded from here on is blank, not the picture. libjpeg
   * only warns about it ("premature end of data segment"); here it is an error.
   */
  overran() {
    return this.padBytes * 8 > this.bits;
  }

  fill() {
    while (this.bits <= 24) {
      let byte = 0;
      if (this.marker < 0 && this.pos < this.data.length) {
        byte = this.data[this.pos];
        if (byte === 0xff) {
          const next = this.data[this.pos + 1];
          if (next === 0x00) {
            this.pos += 2;
          } else {
            // A marker ends the entropy-coded segment: feed zeros from here, as libjpeg does, and count
            // them (a look-ahead may read past the last real bit, a decode must not).
            this.marker = next === undefined ? 0xd9 : next;
            this.ranOut = next === undefined;
            this.padBytes++;
            byte = 0;
          }
        } else {
          this.pos++;
        }
      } else if (this.marker < 0) {
        this.marker = 0xd9; // data ran out: decode on with zeros, then report it
        this.ranOut = true;
        this.padBytes++;
      } else {
        this.padBytes++;
      }
      this.acc = ((this.acc << 8) | byte) >>> 0;
      this.bits += 8;
    }
  }

  /** @param {number} n 1..16 */
  read(n) {
    if (this.bits < n) this.fill();
    this.bits -= n;
    return (this.acc >>> this.bits) & ((1 << n) - 1);
  }

  /** @param {ReturnType<typeof huffmanTable>} table */
  decode(table) {
    let code = this.read(1);
    let len = 1;
    while (code > table.maxCode[len]) {
      if (++len > 16) throw damaged("invalid Huffman code");
      code = (code << 1) | this.read(1);
    }
    const index = table.valOffset[len] + code;
    if (index < 0 || index >= table.values.length) throw damaged("Huffman code without a value");
    return table.values[index];
  }

  /** The value of a `size`-bit magnitude category (T.81 F.2.2.1, EXTEND). @param {number} size */
  receiveExtend(size) {
    if (size === 0) return 0;
    if (size > 16) throw damaged("coefficient category out of range");
    const v = this.read(size);
    return v < 1 << (size - 1) ? v - (1 << size) + 1 : v;
  }

  /** Expects restart marker RSTn after the current interval; resets the bit buffer. */
  restart() {
    if (this.overran()) throw damaged("a restart interval ends early (its data is missing)");
    this.padBytes = 0;
    this.bits = 0;
    this.acc = 0;
    if (this.marker < 0) {
      // Skip to the marker (the bits left in the last byte are padding).
      while (this.pos < this.data.length && !(this.data[this.pos] === 0xff && this.data[this.pos + 1] !== 0x00)) this.pos++;
      if (this.pos + 1 >= this.data.length) throw damaged("restart marker missing");
      this.marker = this.data[this.pos + 1];
    }
    if (this.marker < 0xd0 || this.marker > 0xd7) throw damaged("restart marker missing");
    this.pos += 2;
    this.marker = -1;
  }
}

// IJG's accurate integer IDCT (jidctint.c): constants scaled by 2^13.
const CONST_BITS = 13;
const FIX_0_298631336 = 2446;
const FIX_0_390180644 = 3196;
const FIX_0_541196100 = 4433;
const FIX_0_765366865 = 6270;
const FIX_0_899976223 = 7373;
const FIX_1_175875602 = 9633;
const FIX_1_501321110 = 12299;
const FIX_1_847759065 = 15137;
const FIX_1_961570560 = 16069;
const FIX_2_053119869 = 16819;
const FIX_2_562915447 = 20995;
const FIX_3_072711026 = 25172;

/** Rounding right shift, IJG's DESCALE. @param {number} x @param {number} n */
const descale = (x, n) => (x + (1 << (n - 1))) >> n;

/**
 * One 8-point inverse DCT (IJG's jidctint.c butterfly) of `src[at + k*step]`, k = 0..7, into `dst[0..7]`,
 * still scaled by 2^13 for the caller to descale.
 * @param {Int32Array} src @param {number} at @param {number} step @param {Float64Array} dst
 */
function idct8(src, at, step, dst) {
  const i0 = src[at];
  const i1 = src[at + step];
  const i2 = src[at + 2 * step];
  const i3 = src[at + 3 * step];
  const i4 = src[at + 4 * step];
  const i5 = src[at + 5 * step];
  const i6 = src[at + 6 * step];
  const i7 = src[at + 7 * step];
  // Even part.
  const z1e = (i2 + i6) * FIX_0_541196100;
  const e2 = z1e + i6 * -FIX_1_847759065;
  const e3 = z1e + i2 * FIX_0_765366865;
  const e0 = (i0 + i4) * (1 << CONST_BITS);
  const e1 = (i0 - i4) * (1 << CONST_BITS);
  const tmp10 = e0 + e3;
  const tmp13 = e0 - e3;
  const tmp11 = e1 + e2;
  const tmp12 = e1 - e2;
  // Odd part.
  const z5 = (i7 + i3 + i5 + i1) * FIX_1_175875602;
  const z1 = (i7 + i1) * -FIX_0_899976223;
  const z2 = (i5 + i3) * -FIX_2_562915447;
  const z3 = (i7 + i3) * -FIX_1_961570560 + z5;
  const z4 = (i5 + i1) * -FIX_0_390180644 + z5;
  const o0 = i7 * FIX_0_298631336 + z1 + z3;
  const o1 = i5 * FIX_2_053119869 + z2 + z4;
  const o2 = i3 * FIX_3_072711026 + z2 + z3;
  const o3 = i1 * FIX_1_501321110 + z1 + z4;
  dst[0] = tmp10 + o3;
  dst[7] = tmp10 - o3;
  dst[1] = tmp11 + o2;
  dst[6] = tmp11 - o2;
  dst[2] = tmp12 + o1;
  dst[5] = tmp12 - o1;
  dst[3] = tmp13 + o0;
  dst[4] = tmp13 - o0;
}

const line = new Float64Array(8);

/**
 * Inverse DCT of one dequantised block into `out` (row stride `stride`), clamped to the sample range.
 * 12-bit data keeps one extra bit between the passes (PASS1_BITS 1), 8-bit two, as IJG does.
 * @param {Int32Array} block 64 dequantised coefficients, natural order
 * @param {Int32Array} ws 64-entry workspace
 * @param {number} precision 8 or 12
 * @param {Uint16Array} out @param {number} offset @param {number} stride @param {number} cols @param {number} rows
 */
function idctBlock(block, ws, precision, out, offset, stride, cols, rows) {
  const pass1 = precision === 8 ? 2 : 1;
  const center = 1 << (precision - 1);
  const max = (1 << precision) - 1;
  // Pass 1: columns, into the workspace. A column without AC terms is its DC term (IJG's shortcut,
  // which gives the same values as the full computation).
  for (let c = 0; c < 8; c++) {
    if ((block[8 + c] | block[16 + c] | block[24 + c] | block[32 + c] | block[40 + c] | block[48 + c] | block[56 + c]) === 0) {
      const dc = block[c] << pass1;
      for (let r = 0; r < 8; r++) ws[r * 8 + c] = dc;
      continue;
    }
    idct8(block, c, 8, line);
    for (let r = 0; r < 8; r++) ws[r * 8 + c] = descale(line[r], CONST_BITS - pass1);
  }
  // Pass 2: rows, into the image (blocks at the right and bottom edges are cropped).
  const shift = CONST_BITS + pass1 + 3;
  for (let r = 0; r < 8 && r < rows; r++) {
    idct8(ws, r * 8, 1, line);
    const o = offset + r * stride;
    for (let c = 0; c < 8 && c < cols; c++) {
      const v = descale(line[c], shift) + center;
      out[o + c] = v < 0 ? 0 : v > max ? max : v;
    }
  }
}

/**
 * Decodes a greyscale baseline or extended sequential JPEG (8- or 12-bit).
 * @param {Uint8Array} data the codestream, SOI to EOI
 * @returns {{ width: number, height: number, precision: number, samples: Uint16Array }}
 */
export function decodeJpegExtended(data) {
  if (data.length < 4 || data[0] !== 0xff || data[1] !== 0xd8) throw damaged("no start-of-image marker");
  /** @type {(Int32Array | undefined)[]} */
  const quant = [];
  /** @type {(ReturnType<typeof huffmanTable> | undefined)[]} */
  const dcTables = [];
  /** @type {(ReturnType<typeof huffmanTable> | undefined)[]} */
  const acTables = [];
  /** @type {{ width: number, height: number, precision: number, quantId: number } | null} */
  let frame = null;
  let restartInterval = 0;
  let p = 2;
  for (;;) {
    if (p + 4 > data.length) throw damaged("no start-of-scan marker");
    if (data[p] !== 0xff) throw damaged("marker expected");
    const marker = data[p + 1];
    if (marker === 0xff) {
      p++;
      continue;
    }
    if (marker === 0xd9) throw damaged("image ends before any scan");
    const length = (data[p + 2] << 8) | data[p + 3];
    const end = p + 2 + length;
    if (length < 2 || end > data.length) throw damaged("segment runs past the end");
    let q = p + 4;
    if (marker === 0xdb) {
      // DQT: one or more tables, 8- or 16-bit entries, in zigzag order.
      while (q < end) {
        const pq = data[q] >> 4;
        const id = data[q] & 15;
        q++;
        if (id > 3 || pq > 1) throw damaged("bad quantisation table");
        const table = new Int32Array(64);
        for (let k = 0; k < 64; k++) {
          if (q + (pq ? 2 : 1) > end) throw damaged("short quantisation table");
          table[ZIGZAG[k]] = pq ? (data[q] << 8) | data[q + 1] : data[q];
          q += pq ? 2 : 1;
        }
        quant[id] = table;
      }
    } else if (marker === 0xc4) {
      // DHT: one or more tables.
      while (q < end) {
        const tc = data[q] >> 4;
        const id = data[q] & 15;
        if (tc > 1 || id > 3 || q + 17 > end) throw damaged("bad Huffman table");
        const counts = data.subarray(q + 1, q + 17);
        let total = 0;
        for (const n of counts) total += n;
        if (q + 17 + total > end || total > 256) throw damaged("bad Huffman table");
        const table = huffmanTable(counts, data.slice(q + 17, q + 17 + total));
        (tc === 0 ? dcTables : acTables)[id] = table;
        q += 17 + total;
      }
    } else if (marker === 0xdd) {
      if (length !== 4) throw damaged("bad restart interval");
      restartInterval = (data[q] << 8) | data[q + 1];
    } else if (marker === 0xc0 || marker === 0xc1) {
      // The caller checked the first frame header's size against the DICOM header: a second one could
      // claim any size.
      if (frame) throw damaged("a second frame header");
      if (length < 11) throw damaged("short frame header");
      const precision = data[q];
      const height = (data[q + 1] << 8) | data[q + 2];
      const width = (data[q + 3] << 8) | data[q + 4];
      const components = data[q + 5];
      if (precision !== 8 && precision !== 12) throw damaged(`${precision}-bit samples in a DCT frame`);
      if (components !== 1) throw new Error(`unsupported JPEG: ${components} colour components`);
      if (height === 0) throw new Error("unsupported JPEG: height defined later (DNL)");
      if (width === 0) throw damaged("zero width");
      const sampling = data[q + 7];
      if (sampling >> 4 < 1 || (sampling & 15) < 1) throw damaged("bad sampling factors");
      frame = { width, height, precision, quantId: data[q + 8] & 3 };
    } else if (marker >= 0xc2 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      throw new Error("unsupported JPEG: progressive, lossless, hierarchical or arithmetic-coded frame");
    } else if (marker === 0xda) {
      if (!frame) throw damaged("scan before frame header");
      if (data[q] !== 1 || length < 8) throw damaged("scan does not hold the one component");
      const tables = data[q + 2];
      const dc = dcTables[tables >> 4];
      const ac = acTables[tables & 15];
      const qt = quant[frame.quantId];
      if (!dc || !ac || !qt) throw damaged("scan refers to a missing table");
      if (data[q + 3] !== 0 || data[q + 4] !== 63 || data[q + 5] !== 0) throw new Error("unsupported JPEG: not a sequential scan");
      return decodeScan(data, end, frame, dc, ac, qt, restartInterval);
    }
    // APPn, COM and others: skipped.
    p = end;
  }
}

/**
 * @param {Uint8Array} data @param {number} start
 * @param {{ width: number, height: number, precision: number }} frame
 * @param {ReturnType<typeof huffmanTable>} dc @param {ReturnType<typeof huffmanTable>} ac
 * @param {Int32Array} qt @param {number} restartInterval
 */
function decodeScan(data, start, frame, dc, ac, qt, restartInterval) {
  const { width, height, precision } = frame;
  const blocksPerLine = Math.ceil(width / 8);
  const blockRows = Math.ceil(height / 8);
  // Every block costs at least its shortest DC code and its shortest AC code (an end-of-block at the
  // least): a header promising more blocks than the data can hold is refused before the samples are
  // allocated (a 125 KB file claiming 6000 x 6000 would otherwise be decoded to 36 MP of blank).
  const minBitsPerBlock = shortestCode(dc) + shortestCode(ac);
  const available = (data.length - start) * 8;
  if (blocksPerLine * blockRows * minBitsPerBlock > available) {
    throw damaged(`the frame header promises ${width} x ${height} pixels but the scan holds too little data for them`);
  }
  const samples = new Uint16Array(width * height);
  const reader = new BitReader(data, start);
  const block = new Int32Array(64);
  const ws = new Int32Array(64);
  const maxDiff = precision === 8 ? 11 : 15;
  let pred = 0;
  let inInterval = 0;
  for (let by = 0; by < blockRows; by++) {
    for (let bx = 0; bx < blocksPerLine; bx++) {
      if (restartInterval && inInterval === restartInterval) {
        reader.restart();
        pred = 0;
        inInterval = 0;
      }
      inInterval++;
      block.fill(0);
      const t = reader.decode(dc);
      if (t > maxDiff) throw damaged("DC difference out of range");
      pred += reader.receiveExtend(t);
      block[0] = pred * qt[0];
      for (let k = 1; k < 64; ) {
        const rs = reader.decode(ac);
        const run = rs >> 4;
        const size = rs & 15;
        if (size === 0) {
          if (run !== 15) break; // end of block
          k += 16;
          continue;
        }
        k += run;
        if (k > 63) throw damaged("coefficient past the end of a block");
        const z = ZIGZAG[k];
        block[z] = reader.receiveExtend(size) * qt[z];
        k++;
      }
      if (reader.overran()) throw damaged(reader.ranOut ? "the frame ends early" : "a marker comes before the scan's data is complete");
      const x = bx * 8;
      const y = by * 8;
      idctBlock(block, ws, precision, samples, y * width + x, width, width - x, height - y);
    }
  }
  // A frame without its end-of-image marker was cut off: its last rows would be blank.
  if (reader.ranOut) throw damaged("the frame ends early");
  return { width, height, precision, samples };
}
