import { inflateSync } from "fflate";
import { CheckpointError } from "@/lib/inference/errors";

// Minimal reader for the zip container of PyTorch >= 1.6 files: central directory (with zip64), stored
// and deflated entries. Offsets are checked against the file so a damaged archive yields a
// CheckpointError instead of a RangeError deep in a read.

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  localHeaderOffset: number;
}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

function badZip(message: string): CheckpointError {
  return new CheckpointError("CHECKPOINT_BAD_ZIP", `damaged zip archive: ${message}`);
}

export class ZipArchive {
  readonly entries = new Map<string, ZipEntry>();
  private readonly view: DataView;

  constructor(private readonly data: Uint8Array) {
    this.view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    this.readCentralDirectory();
  }

  private u16(at: number) {
    return this.view.getUint16(at, true);
  }
  private u32(at: number) {
    return this.view.getUint32(at, true);
  }
  private u64(at: number) {
    const v = this.view.getBigUint64(at, true);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw badZip("a 64-bit size is out of range");
    return Number(v);
  }
  private check(at: number, len: number, what: string) {
    if (at < 0 || len < 0 || at + len > this.data.length) throw badZip(`${what} points past the end of the file (truncated?)`);
  }

  private readCentralDirectory() {
    const d = this.data;
    const minEocd = Math.max(0, d.length - 22 - 0xffff);
    let eocd = -1;
    for (let i = d.length - 22; i >= minEocd; i--) {
      if (this.u32(i) === EOCD) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) throw badZip("no end-of-central-directory record (the file is truncated or not a zip)");
    let count = this.u16(eocd + 10);
    let cdSize = this.u32(eocd + 12);
    let cdOffset = this.u32(eocd + 16);
    if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
      const loc = eocd - 20;
      if (loc < 0 || this.u32(loc) !== ZIP64_LOCATOR) throw badZip("zip64 locator missing");
      const z64 = this.u64(loc + 8);
      this.check(z64, 56, "zip64 end record");
      if (this.u32(z64) !== ZIP64_EOCD) throw badZip("zip64 end record signature is wrong");
      count = this.u64(z64 + 32);
      cdSize = this.u64(z64 + 40);
      cdOffset = this.u64(z64 + 48);
    }
    this.check(cdOffset, cdSize, "central directory");
    const names = new TextDecoder();
    let p = cdOffset;
    for (let n = 0; n < count; n++) {
      this.check(p, 46, "central directory entry");
      if (this.u32(p) !== CENTRAL) throw badZip("central directory entry signature is wrong");
      const method = this.u16(p + 10);
      let compressedSize = this.u32(p + 20);
      let size = this.u32(p + 24);
      const nameLen = this.u16(p + 28);
      const extraLen = this.u16(p + 30);
      const commentLen = this.u16(p + 32);
      let localHeaderOffset = this.u32(p + 42);
      this.check(p + 46, nameLen + extraLen + commentLen, "central directory entry");
      const name = names.decode(d.subarray(p + 46, p + 46 + nameLen));
      // zip64 extra field: the 64-bit values appear in order, only for fields saturated above.
      let e = p + 46 + nameLen;
      const extraEnd = e + extraLen;
      while (e + 4 <= extraEnd) {
        const id = this.u16(e);
        const len = this.u16(e + 2);
        if (id === 0x0001) {
          let q = e + 4;
          if (size === 0xffffffff) {
            size = this.u64(q);
            q += 8;
          }
          if (compressedSize === 0xffffffff) {
            compressedSize = this.u64(q);
            q += 8;
          }
          if (localHeaderOffset === 0xffffffff) localHeaderOffset = this.u64(q);
        }
        e += 4 + len;
      }
      this.entries.set(name, { name, method, compressedSize, size, localHeaderOffset });
      p += 46 + nameLen + extraLen + commentLen;
    }
  }

  /** Entry bytes; stored entries are views into the file, deflated ones are inflated. */
  read(name: string): Uint8Array {
    const entry = this.entries.get(name);
    if (!entry) throw badZip(`entry "${name}" is missing`);
    const h = entry.localHeaderOffset;
    this.check(h, 30, `local header of "${name}"`);
    if (this.u32(h) !== LOCAL) throw badZip(`local header of "${name}" has a wrong signature`);
    const start = h + 30 + this.u16(h + 26) + this.u16(h + 28);
    this.check(start, entry.compressedSize, `data of "${name}"`);
    const raw = this.data.subarray(start, start + entry.compressedSize);
    if (entry.method === 0) return raw;
    if (entry.method === 8) {
      try {
        const out = inflateSync(raw, { out: new Uint8Array(entry.size) });
        if (out.length !== entry.size) throw new Error("size mismatch");
        return out;
      } catch (err) {
        throw badZip(`entry "${name}" does not inflate (${(err as Error).message})`);
      }
    }
    throw new CheckpointError("CHECKPOINT_UNSUPPORTED", `zip entry "${name}" uses compression method ${entry.method}`);
  }
}
