import { describe, expect, it } from "vitest";
import { CheckpointError } from "@/lib/inference/errors";
import { G, NewObj, ODict, PersId, pickle, Reduce, Tuple } from "@/test/support/model-builder/pickle-writer";
import { unpickle } from "./pickle-machine";
import { PyGlobal, PyObject } from "./pickle-types";

function expectCode(fn: () => unknown, code: string) {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(CheckpointError);
    expect((err as CheckpointError).code).toBe(code);
    return;
  }
  throw new Error(`expected a CheckpointError ${code}`);
}

describe("unpickle", () => {
  it("reads scalars, strings, lists, tuples and dicts", () => {
    const value = new Map<string, unknown>([
      ["int", 7],
      ["neg", -123456],
      ["big", 2n ** 70n],
      ["float", 1.5],
      ["text", "héllo"],
      ["list", [1, "a", null, true, false]],
      ["tuple", new Tuple([3, 4])],
    ]);
    const { value: out, end } = unpickle(pickle(value));
    expect(out).toBeInstanceOf(Map);
    const m = out as Map<string, unknown>;
    expect(m.get("int")).toBe(7);
    expect(m.get("neg")).toBe(-123456);
    expect(m.get("big")).toBe(2n ** 70n);
    expect(m.get("float")).toBe(1.5);
    expect(m.get("text")).toBe("héllo");
    expect(m.get("list")).toEqual([1, "a", null, true, false]);
    expect(m.get("tuple")).toEqual([3, 4]);
    expect(end).toBe(pickle(value).length);
  });

  it("resolves memo references (BINPUT/BINGET) to the same object", () => {
    // [x, x] where x is a list memoised once: PROTO 2, EMPTY_LIST, BINPUT 0, MARK, EMPTY_LIST, BINPUT 1,
    // BINGET 1, APPENDS, STOP
    const bytes = Uint8Array.from([0x80, 2, 0x5d, 0x71, 0, 0x28, 0x5d, 0x71, 1, 0x68, 1, 0x65, 0x2e]);
    const out = unpickle(bytes).value as unknown[][];
    expect(out).toHaveLength(2);
    expect(out[0]).toBe(out[1]);
  });

  it("builds stand-ins for unknown classes with their constructor args and state", () => {
    const obj = new NewObj(new G("somewhere.models", "Net"), [1, 2], new Map<string, unknown>([["training", false], ["width", 64]]));
    const out = unpickle(pickle(obj)).value;
    expect(out).toBeInstanceOf(PyObject);
    const o = out as PyObject;
    expect(o.className).toBe("somewhere.models.Net");
    expect(o.args).toEqual([1, 2]);
    expect(o.attrs.get("width")).toBe(64);
    const called = unpickle(pickle(new Reduce(new G("x", "factory"), ["a"]))).value as PyObject;
    expect(called.cls).toBeInstanceOf(PyGlobal);
    expect(called.args).toEqual(["a"]);
  });

  it("uses hooks for globals and persistent ids", () => {
    const bytes = pickle(new Map<string, unknown>([["w", new Reduce(new G("m", "f"), [5])], ["p", new PersId(new Tuple(["id", 3]))]]));
    const out = unpickle(bytes, 0, {
      findGlobal: (module, name) =>
        module === "m" && name === "f" ? { kind: "callable", qualifiedName: "m.f", call: (args: unknown[]) => (args[0] as number) * 2 } : undefined,
      persistentLoad: (pid) => `loaded:${(pid as unknown[]).join("/")}`,
    }).value as Map<string, unknown>;
    expect(out.get("w")).toBe(10);
    expect(out.get("p")).toBe("loaded:id/3");
    // Without hooks an OrderedDict is a stand-in that still holds its items.
    const od = unpickle(pickle(new ODict([["a", 1]]))).value as PyObject;
    expect(od.dictItems.get("a")).toBe(1);
  });

  it("reports truncation anywhere in the stream", () => {
    const full = pickle(new Map<string, unknown>([["key", "a fairly long string value"], ["n", [1, 2, 3]]]));
    for (let cut = 0; cut < full.length - 1; cut++) {
      expect(() => unpickle(full.subarray(0, cut))).toThrow(CheckpointError);
    }
    expectCode(() => unpickle(full.subarray(0, 10)), "CHECKPOINT_TRUNCATED");
  });

  it("rejects unknown opcodes, stack underflow and a missing memo entry", () => {
    expectCode(() => unpickle(Uint8Array.from([0x80, 2, 0xff, 0x2e])), "CHECKPOINT_BAD_PICKLE");
    expectCode(() => unpickle(Uint8Array.from([0x80, 2, 0x2e])), "CHECKPOINT_BAD_PICKLE");
    expectCode(() => unpickle(Uint8Array.from([0x80, 2, 0x68, 9, 0x2e])), "CHECKPOINT_BAD_PICKLE");
    expectCode(() => unpickle(Uint8Array.from([0x80, 2, 0x4b, 1, 0x4b, 2, 0x73, 0x2e])), "CHECKPOINT_BAD_PICKLE");
  });

  it("reports a huge declared length as truncation without allocating it", () => {
    // BINUNICODE claiming 4 GB
    expectCode(() => unpickle(Uint8Array.from([0x80, 2, 0x58, 0xff, 0xff, 0xff, 0xff, 0x61])), "CHECKPOINT_TRUNCATED");
  });

  // The timeout is a hang guard, not a performance assertion.
  it("ends on random garbage with a value or a typed error", { timeout: 20_000 }, () => {
    let seed = 12345;
    const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    for (let i = 0; i < 300; i++) {
      const bytes = Uint8Array.from({ length: 64 + Math.floor(rand() * 512) }, () => Math.floor(rand() * 256));
      bytes[0] = 0x80;
      bytes[1] = 2;
      try {
        unpickle(bytes);
      } catch (err) {
        expect(err).toBeInstanceOf(CheckpointError);
      }
    }
  });
});
