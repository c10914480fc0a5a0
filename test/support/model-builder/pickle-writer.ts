// Test-only: writes pickles (protocol 2) and tiny PyTorch checkpoints in both file formats, so the
// reader is tested on files built in the test, including deliberately damaged ones.
import { zipSync } from "fflate";

export class G {
  constructor(readonly module: string, readonly name: string) {}
}
export class Reduce {
  constructor(readonly fn: unknown, readonly args: unknown[]) {}
}
export class NewObj {
  constructor(readonly cls: unknown, readonly args: unknown[], readonly state?: unknown) {}
}
export class PersId {
  constructor(readonly pid: unknown) {}
}
export class Tuple {
  constructor(readonly items: unknown[]) {}
}
/** A dict pickled as OrderedDict() + SETITEMS, as torch does for state_dicts and module slots. */
export class ODict {
  constructor(readonly entries: [string, unknown][]) {}
}

export function pickle(value: unknown): Uint8Array {
  const out: number[] = [0x80, 2];
  const u32 = (n: number) => out.push(n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff);
  const str = (s: string) => {
    const b = new TextEncoder().encode(s);
    out.push(0x58);
    u32(b.length);
    out.push(...b);
  };
  const emit = (v: unknown): void => {
    if (v === null || v === undefined) out.push(0x4e);
    else if (v === true) out.push(0x88);
    else if (v === false) out.push(0x89);
    else if (typeof v === "number" && Number.isInteger(v) && v >= 0 && v < 256) out.push(0x4b, v);
    else if (typeof v === "number" && Number.isInteger(v) && Math.abs(v) < 2 ** 31) {
      out.push(0x4a);
      u32(v >>> 0);
    } else if (typeof v === "number") {
      const b = new Uint8Array(8);
      new DataView(b.buffer).setFloat64(0, v, false);
      out.push(0x47, ...b);
    } else if (typeof v === "bigint") {
      const bytes: number[] = [];
      let x = v;
      while (x !== 0n && x !== -1n) {
        bytes.push(Number(x & 0xffn));
        x >>= 8n;
      }
      if (bytes.length === 0 || (bytes[bytes.length - 1] & 0x80) !== (v < 0n ? 0x80 : 0)) bytes.push(v < 0n ? 0xff : 0);
      out.push(0x8a, bytes.length, ...bytes);
    } else if (typeof v === "string") str(v);
    else if (v instanceof G) out.push(0x63, ...new TextEncoder().encode(`${v.module}\n${v.name}\n`));
    else if (v instanceof Tuple) {
      out.push(0x28);
      v.items.forEach(emit);
      out.push(0x74);
    } else if (Array.isArray(v)) {
      out.push(0x5d, 0x28);
      v.forEach(emit);
      out.push(0x65);
    } else if (v instanceof ODict) {
      emit(new G("collections", "OrderedDict"));
      out.push(0x29, 0x52, 0x28);
      for (const [k, val] of v.entries) {
        emit(k);
        emit(val);
      }
      out.push(0x75);
    } else if (v instanceof Map) {
      out.push(0x7d, 0x28);
      for (const [k, val] of v) {
        emit(k);
        emit(val);
      }
      out.push(0x75);
    } else if (v instanceof Reduce) {
      emit(v.fn);
      emit(new Tuple(v.args));
      out.push(0x52);
    } else if (v instanceof NewObj) {
      emit(v.cls);
      emit(new Tuple(v.args));
      out.push(0x81);
      if (v.state !== undefined) {
        emit(v.state);
        out.push(0x62);
      }
    } else if (v instanceof PersId) {
      emit(v.pid);
      out.push(0x51);
    } else throw new Error(`pickle writer: unsupported value ${String(v)}`);
  };
  emit(value);
  out.push(0x2e);
  return Uint8Array.from(out);
}

export interface TestTensor {
  storageKey: string;
  storageType?: string;
  offset?: number;
  shape: number[];
  stride?: number[];
}

function contiguousStride(shape: number[]): number[] {
  const s = new Array<number>(shape.length);
  for (let i = shape.length - 1, acc = 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i];
  }
  return s;
}

/** The pickled form of a tensor: _rebuild_tensor_v2(persistent storage, offset, size, stride, ...). */
export function tensorRef(t: TestTensor, numel: number, legacy = false): Reduce {
  const type = new G("torch", t.storageType ?? "FloatStorage");
  const pid = legacy ? new Tuple(["storage", type, t.storageKey, "cpu", numel, null]) : new Tuple(["storage", type, t.storageKey, "cpu", numel]);
  return new Reduce(new G("torch._utils", "_rebuild_tensor_v2"), [
    new PersId(pid),
    t.offset ?? 0,
    new Tuple(t.shape),
    new Tuple(t.stride ?? contiguousStride(t.shape)),
    false,
    new ODict([]),
  ]);
}

/** A zip-format checkpoint (torch >= 1.6) with stored entries under `archive/`. */
export function zipCheckpoint(root: unknown, storages: Record<string, Uint8Array>, prefix = "archive"): Uint8Array {
  const files: Record<string, [Uint8Array, { level: 0 }]> = {
    [`${prefix}/data.pkl`]: [pickle(root), { level: 0 }],
    [`${prefix}/version`]: [new TextEncoder().encode("3\n"), { level: 0 }],
  };
  for (const [k, v] of Object.entries(storages)) files[`${prefix}/data/${k}`] = [v, { level: 0 }];
  return zipSync(files);
}

/** A legacy checkpoint: magic, protocol, sys info, object, storage keys, then each storage (int64 count + bytes). */
export function legacyCheckpoint(root: unknown, storages: { key: string; bytes: Uint8Array; elementSize: number }[]): Uint8Array {
  const sysInfo = new Map<string, unknown>([["protocol_version", 1001], ["little_endian", true]]);
  const parts = [pickle(0x1950a86a20f9469cfc6cn), pickle(1001), pickle(sysInfo), pickle(root), pickle(storages.map((s) => s.key))];
  for (const s of storages) {
    const count = new Uint8Array(8);
    new DataView(count.buffer).setBigInt64(0, BigInt(s.bytes.length / s.elementSize), true);
    parts.push(count, s.bytes);
  }
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) out.set(p, (o += p.length) - p.length);
  return out;
}

export function f32bytes(values: number[]): Uint8Array {
  return new Uint8Array(Float32Array.from(values).buffer);
}
