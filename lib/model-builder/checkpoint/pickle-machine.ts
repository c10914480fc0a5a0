import { CheckpointError } from "@/lib/inference/errors";
import { isPyCallable, PyGlobal, PyObject, type PickleHooks } from "./pickle-types";

// A pickle virtual machine (protocols 0-5, without out-of-band buffers). It never runs code: globals
// resolve through hooks, everything else becomes a PyObject stand-in. Every opcode consumes input
// bytes and there are no jumps, so a damaged or hostile file ends in bounded time with a
// CheckpointError rather than a hang or a crash.

const MARK = Symbol("mark");

export interface UnpickleResult {
  value: unknown;
  /** Offset just past the STOP opcode (legacy PyTorch files hold several pickles back to back). */
  end: number;
}

function bad(message: string): CheckpointError {
  return new CheckpointError("CHECKPOINT_BAD_PICKLE", message);
}

function toNumberIfSafe(v: bigint): number | bigint {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

function decodeLong(bytes: Uint8Array): number | bigint {
  if (bytes.length === 0) return 0;
  let v = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[i]);
  if (bytes[bytes.length - 1] & 0x80) v -= 1n << BigInt(bytes.length * 8);
  return toNumberIfSafe(v);
}

/** Python string literal body from protocol-0 STRING ('...' or "..."), with the common escapes. */
function unquote(line: string): string {
  const q = line[0];
  if ((q !== "'" && q !== '"') || line[line.length - 1] !== q) throw bad("STRING opcode argument is not quoted");
  const body = line.slice(1, -1);
  return body.replace(/\\(x[0-9a-fA-F]{2}|[\\'"nrt0])/g, (_m, e: string) => {
    if (e[0] === "x") return String.fromCharCode(parseInt(e.slice(1), 16));
    return ({ n: "\n", r: "\r", t: "\t", "0": "\0" } as Record<string, string>)[e] ?? e;
  });
}

export function unpickle(data: Uint8Array, start = 0, hooks: PickleHooks = {}): UnpickleResult {
  try {
    return run(data, start, hooks);
  } catch (err) {
    if (err instanceof CheckpointError) throw err;
    // Malformed text arguments (BigInt("x"), bad lengths) surface as JS errors: report them as damage.
    throw bad(`pickle data is malformed: ${(err as Error).message}`);
  }
}

function run(data: Uint8Array, start: number, hooks: PickleHooks): UnpickleResult {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const utf8 = new TextDecoder("utf-8", { fatal: false });
  const latin1 = new TextDecoder("latin1");
  let pos = start;
  const stack: unknown[] = [];
  const metastack: unknown[][] = [];
  let current = stack;
  const memo = new Map<number, unknown>();

  const need = (n: number) => {
    if (n < 0 || pos + n > data.length) {
      throw new CheckpointError("CHECKPOINT_TRUNCATED", `pickle data ends early (needed ${n} bytes at offset ${pos})`);
    }
  };
  const u8 = () => (need(1), data[pos++]);
  const u16 = () => (need(2), (pos += 2), view.getUint16(pos - 2, true));
  const u32 = () => (need(4), (pos += 4), view.getUint32(pos - 4, true));
  const i32 = () => (need(4), (pos += 4), view.getInt32(pos - 4, true));
  const u64 = () => {
    need(8);
    const v = view.getBigUint64(pos, true);
    pos += 8;
    if (v > BigInt(data.length)) throw new CheckpointError("CHECKPOINT_TRUNCATED", "pickle length field exceeds the file");
    return Number(v);
  };
  const bytes = (n: number) => (need(n), (pos += n), data.subarray(pos - n, pos));
  const line = () => {
    const nl = data.indexOf(0x0a, pos);
    if (nl < 0) throw new CheckpointError("CHECKPOINT_TRUNCATED", "pickle text argument has no end of line");
    const s = latin1.decode(data.subarray(pos, nl));
    pos = nl + 1;
    return s.endsWith("\r") ? s.slice(0, -1) : s;
  };
  const pop = () => {
    if (current.length === 0) throw bad("pickle stack underflow");
    const v = current.pop();
    if (v === MARK) throw bad("pickle pops a MARK as a value");
    return v;
  };
  const top = () => {
    if (current.length === 0) throw bad("pickle stack underflow");
    return current[current.length - 1];
  };
  const popMark = () => {
    const items = current;
    const prev = metastack.pop();
    if (!prev) throw bad("pickle MARK missing");
    current = prev;
    return items;
  };
  const push = (v: unknown) => current.push(v);
  const memoGet = (i: number) => {
    if (!memo.has(i)) throw bad(`pickle memo entry ${i} is missing`);
    return memo.get(i);
  };
  const resolveGlobal = (mod: string, name: string) => {
    const found = hooks.findGlobal?.(mod, name);
    return found === undefined ? new PyGlobal(mod, name) : found;
  };
  const callValue = (fn: unknown, args: unknown) => {
    const argList = Array.isArray(args) ? args : [];
    if (isPyCallable(fn)) return fn.call(argList);
    if (fn instanceof PyGlobal) return new PyObject(fn, argList);
    throw bad(`pickle calls something that is not a class or function (${typeof fn})`);
  };
  const setItems = (target: unknown, pairs: unknown[]) => {
    const dict = target instanceof Map ? target : target instanceof PyObject ? target.dictItems : null;
    if (!dict) throw bad("pickle SETITEM(S) on something that is not a dict");
    if (pairs.length % 2) throw bad("pickle SETITEMS with an odd number of items");
    for (let i = 0; i < pairs.length; i += 2) dict.set(pairs[i], pairs[i + 1]);
  };
  const appendItems = (target: unknown, items: unknown[]) => {
    const list = Array.isArray(target) ? target : target instanceof PyObject ? target.listItems : null;
    if (!list) throw bad("pickle APPEND(S) on something that is not a list");
    for (const it of items) list.push(it);
  };

  for (;;) {
    const op = u8();
    switch (op) {
      case 0x80: u8(); break; // PROTO
      case 0x95: u64(); break; // FRAME: framing is only a read-ahead hint
      case 0x2e: { // STOP
        const value = pop();
        return { value, end: pos };
      }
      case 0x28: metastack.push(current); current = []; break; // MARK
      case 0x30: pop(); break; // POP
      case 0x31: popMark(); break; // POP_MARK
      case 0x32: push(top()); break; // DUP
      // numbers
      case 0x4a: push(i32()); break; // BININT
      case 0x4b: push(u8()); break; // BININT1
      case 0x4d: push(u16()); break; // BININT2
      case 0x8a: push(decodeLong(bytes(u8()))); break; // LONG1
      case 0x8b: { const n = i32(); if (n < 0) throw bad("negative LONG4 length"); push(decodeLong(bytes(n))); break; }
      case 0x47: need(8); push(view.getFloat64(pos, false)); pos += 8; break; // BINFLOAT (big endian)
      case 0x49: { // INT (text)
        const s = line();
        if (s === "01") push(true);
        else if (s === "00") push(false);
        else { const v = BigInt(s); push(toNumberIfSafe(v)); }
        break;
      }
      case 0x4c: push(toNumberIfSafe(BigInt(line().replace(/L$/, "")))); break; // LONG (text)
      case 0x46: push(Number.parseFloat(line())); break; // FLOAT (text)
      // strings and bytes
      case 0x58: push(utf8.decode(bytes(u32()))); break; // BINUNICODE
      case 0x8c: push(utf8.decode(bytes(u8()))); break; // SHORT_BINUNICODE
      case 0x8d: push(utf8.decode(bytes(u64()))); break; // BINUNICODE8
      case 0x56: push(line()); break; // UNICODE (raw-unicode-escape; ASCII in practice)
      case 0x53: push(unquote(line())); break; // STRING
      case 0x54: { const n = i32(); if (n < 0) throw bad("negative BINSTRING length"); push(latin1.decode(bytes(n))); break; }
      case 0x55: push(latin1.decode(bytes(u8()))); break; // SHORT_BINSTRING
      case 0x42: push(bytes(u32()).slice()); break; // BINBYTES
      case 0x43: push(bytes(u8()).slice()); break; // SHORT_BINBYTES
      case 0x8e: case 0x96: push(bytes(u64()).slice()); break; // BINBYTES8, BYTEARRAY8
      // constants
      case 0x4e: push(null); break; // NONE
      case 0x88: push(true); break; // NEWTRUE
      case 0x89: push(false); break; // NEWFALSE
      // containers
      case 0x5d: push([]); break; // EMPTY_LIST
      case 0x29: push([]); break; // EMPTY_TUPLE
      case 0x7d: push(new Map()); break; // EMPTY_DICT
      case 0x8f: push([]); break; // EMPTY_SET (a set is read as a list)
      case 0x6c: push(popMark()); break; // LIST
      case 0x74: push(popMark()); break; // TUPLE
      case 0x85: push([pop()]); break; // TUPLE1
      case 0x86: { const b = pop(); const a = pop(); push([a, b]); break; } // TUPLE2
      case 0x87: { const c = pop(); const b = pop(); const a = pop(); push([a, b, c]); break; } // TUPLE3
      case 0x91: push(popMark()); break; // FROZENSET
      case 0x64: { const items = popMark(); const d = new Map(); setItems(d, items); push(d); break; } // DICT
      case 0x61: { const v = pop(); appendItems(top(), [v]); break; } // APPEND
      case 0x65: { const items = popMark(); appendItems(top(), items); break; } // APPENDS
      case 0x90: { const items = popMark(); appendItems(top(), items); break; } // ADDITEMS
      case 0x73: { const v = pop(); const k = pop(); setItems(top(), [k, v]); break; } // SETITEM
      case 0x75: { const items = popMark(); setItems(top(), items); break; } // SETITEMS
      // memo
      case 0x68: push(memoGet(u8())); break; // BINGET
      case 0x6a: push(memoGet(u32())); break; // LONG_BINGET
      case 0x67: push(memoGet(Number.parseInt(line(), 10))); break; // GET
      case 0x71: memo.set(u8(), top()); break; // BINPUT
      case 0x72: memo.set(u32(), top()); break; // LONG_BINPUT
      case 0x70: memo.set(Number.parseInt(line(), 10), top()); break; // PUT
      case 0x94: memo.set(memo.size, top()); break; // MEMOIZE
      // objects
      case 0x63: { const mod = line(); const name = line(); push(resolveGlobal(mod, name)); break; } // GLOBAL
      case 0x93: { // STACK_GLOBAL
        const name = pop(); const mod = pop();
        if (typeof mod !== "string" || typeof name !== "string") throw bad("STACK_GLOBAL needs two strings");
        push(resolveGlobal(mod, name));
        break;
      }
      case 0x52: { const args = pop(); const fn = pop(); push(callValue(fn, args)); break; } // REDUCE
      case 0x81: { const args = pop(); const cls = pop(); push(callValue(cls, args)); break; } // NEWOBJ
      case 0x92: { pop(); const args = pop(); const cls = pop(); push(callValue(cls, args)); break; } // NEWOBJ_EX
      case 0x69: { const mod = line(); const name = line(); const args = popMark(); push(callValue(resolveGlobal(mod, name), args)); break; } // INST
      case 0x6f: { const items = popMark(); const cls = items.shift(); push(callValue(cls, items)); break; } // OBJ
      case 0x62: { // BUILD
        const state = pop();
        const obj = top();
        if (obj instanceof PyObject) obj.setState(state);
        break; // state on Maps and tensors (e.g. an OrderedDict's _metadata) carries nothing we use
      }
      case 0x51: push(hooks.persistentLoad ? hooks.persistentLoad(pop()) : pop()); break; // BINPERSID
      case 0x50: { const pid = line(); push(hooks.persistentLoad ? hooks.persistentLoad(pid) : pid); break; } // PERSID
      case 0x82: case 0x83: case 0x84:
        throw new CheckpointError("CHECKPOINT_UNSUPPORTED", "pickle uses the copyreg extension registry (EXT opcodes)");
      case 0x97: case 0x98:
        throw new CheckpointError("CHECKPOINT_UNSUPPORTED", "pickle uses out-of-band buffers (protocol 5)");
      default:
        throw bad(`unknown pickle opcode 0x${op.toString(16).padStart(2, "0")} at offset ${pos - 1}`);
    }
  }
}
