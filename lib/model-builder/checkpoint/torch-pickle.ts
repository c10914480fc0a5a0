import { CheckpointError } from "@/lib/inference/errors";
import type { PickleHooks, PyCallable } from "./pickle-types";

// The few PyTorch and standard-library globals whose meaning matters for reading weights. Every other
// global (the model classes, torch.nn modules, hooks) stays a stand-in object.

export type DType = "float32" | "float64" | "float16" | "bfloat16" | "int64" | "int32" | "int16" | "int8" | "uint8" | "bool";

export const DTYPE_BYTES: Record<DType, number> = {
  float32: 4, float64: 8, float16: 2, bfloat16: 2, int64: 8, int32: 4, int16: 2, int8: 1, uint8: 1, bool: 1,
};

const STORAGE_DTYPES: Record<string, DType> = {
  FloatStorage: "float32", DoubleStorage: "float64", HalfStorage: "float16", BFloat16Storage: "bfloat16",
  LongStorage: "int64", IntStorage: "int32", ShortStorage: "int16", CharStorage: "int8",
  ByteStorage: "uint8", BoolStorage: "bool", UntypedStorage: "uint8",
};

const TORCH_DTYPES: Record<string, DType> = {
  float32: "float32", float: "float32", float64: "float64", double: "float64", float16: "float16", half: "float16",
  bfloat16: "bfloat16", int64: "int64", long: "int64", int32: "int32", int: "int32", int16: "int16",
  int8: "int8", uint8: "uint8", bool: "bool",
};

export class StorageType {
  constructor(readonly dtype: DType) {}
}

/** A storage a tensor views: `key` names its bytes in the archive, `elementOffset` is a legacy view offset. */
export class StorageRef {
  constructor(
    readonly key: string,
    readonly dtype: DType,
    readonly numel: number,
    readonly elementOffset = 0,
  ) {}
}

export class TensorRef {
  constructor(
    readonly storage: StorageRef,
    readonly offset: number,
    readonly shape: number[],
    readonly stride: number[],
  ) {}
}

const callable = (qualifiedName: string, call: (args: unknown[]) => unknown): PyCallable => ({
  kind: "callable",
  qualifiedName,
  call,
});

function intList(v: unknown, what: string): number[] {
  if (!Array.isArray(v) || !v.every((x) => typeof x === "number" && Number.isInteger(x) && x >= 0)) {
    throw new CheckpointError("CHECKPOINT_UNEXPECTED_STRUCTURE", `tensor ${what} is not a list of sizes`);
  }
  return v as number[];
}

function rebuildTensor(args: unknown[]): TensorRef {
  const [storage, offset, size, stride] = args;
  if (!(storage instanceof StorageRef)) {
    throw new CheckpointError("CHECKPOINT_UNEXPECTED_STRUCTURE", "tensor does not point at a storage");
  }
  if (typeof offset !== "number" || !Number.isInteger(offset) || offset < 0) {
    throw new CheckpointError("CHECKPOINT_UNEXPECTED_STRUCTURE", "tensor storage offset is invalid");
  }
  const shape = intList(size, "shape");
  const strides = intList(stride, "stride");
  if (shape.length !== strides.length) {
    throw new CheckpointError("CHECKPOINT_UNEXPECTED_STRUCTURE", "tensor shape and stride differ in length");
  }
  return new TensorRef(storage, offset, shape, strides);
}

const GLOBALS: Record<string, PyCallable | ((name: string) => unknown)> = {
  "collections.OrderedDict": callable("collections.OrderedDict", (args) => pairsToMap(args[0])),
  "builtins.dict": callable("builtins.dict", (args) => pairsToMap(args[0])),
  "__builtin__.dict": callable("__builtin__.dict", (args) => pairsToMap(args[0])),
  "builtins.set": callable("builtins.set", (args) => (Array.isArray(args[0]) ? [...args[0]] : [])),
  "__builtin__.set": callable("__builtin__.set", (args) => (Array.isArray(args[0]) ? [...args[0]] : [])),
  "builtins.frozenset": callable("builtins.frozenset", (args) => (Array.isArray(args[0]) ? [...args[0]] : [])),
  "torch.Size": callable("torch.Size", (args) => (Array.isArray(args[0]) ? [...args[0]] : [])),
  "torch.device": callable("torch.device", (args) => String(args[0] ?? "cpu")),
  "torch._utils._rebuild_tensor": callable("torch._utils._rebuild_tensor", rebuildTensor),
  "torch._utils._rebuild_tensor_v2": callable("torch._utils._rebuild_tensor_v2", rebuildTensor),
  "torch._utils._rebuild_parameter": callable("torch._utils._rebuild_parameter", (args) => args[0]),
  "torch._utils._rebuild_parameter_with_state": callable("torch._utils._rebuild_parameter_with_state", (args) => args[0]),
  // Tensor subclasses (nn.Parameter in recent PyTorch): (func, type, args, state) -> func(*args).
  "torch._tensor._rebuild_from_type_v2": callable("torch._tensor._rebuild_from_type_v2", (args) => {
    const [fn, , inner] = args;
    if (fn && typeof fn === "object" && "call" in fn) return (fn as PyCallable).call(Array.isArray(inner) ? inner : []);
    throw new CheckpointError("CHECKPOINT_UNEXPECTED_STRUCTURE", "tensor subclass without a rebuild function");
  }),
};

function pairsToMap(v: unknown): Map<unknown, unknown> {
  const m = new Map<unknown, unknown>();
  if (Array.isArray(v)) for (const p of v) if (Array.isArray(p) && p.length === 2) m.set(p[0], p[1]);
  if (v instanceof Map) for (const [k, val] of v) m.set(k, val);
  return m;
}

export function findTorchGlobal(module: string, name: string): unknown {
  const known = GLOBALS[`${module}.${name}`];
  if (known) return known;
  // torch.cuda.FloatStorage: weights saved from a GPU; read on the CPU like map_location="cpu" does.
  if ((module === "torch" || module === "torch.storage" || module === "torch.cuda") && name in STORAGE_DTYPES) {
    return new StorageType(STORAGE_DTYPES[name]);
  }
  if (module === "torch" && name in TORCH_DTYPES) return new StorageType(TORCH_DTYPES[name]);
  return undefined;
}

/**
 * Pickle hooks for a PyTorch file. Storages are shared between tensors (and between a legacy view and
 * its root), so each key yields one StorageRef.
 */
export function torchPickleHooks(): { hooks: PickleHooks; storages: Map<string, StorageRef> } {
  const storages = new Map<string, StorageRef>();
  const persistentLoad = (pid: unknown): unknown => {
    if (!Array.isArray(pid) || pid.length < 1) {
      throw new CheckpointError("CHECKPOINT_UNEXPECTED_STRUCTURE", "unrecognised persistent id in the pickle");
    }
    // Legacy files record the class of each pickled nn.Module with its source: hand back the class.
    if (pid[0] === "module") return pid[1];
    if (pid[0] !== "storage" || pid.length < 5) {
      throw new CheckpointError("CHECKPOINT_UNEXPECTED_STRUCTURE", `unrecognised persistent id "${String(pid[0])}"`);
    }
    const [, type, rootKey, , numel, view] = pid;
    // The storage class (torch.FloatStorage, ...) or a torch dtype global gives the element type.
    const dtype = type instanceof StorageType ? type.dtype : null;
    if (!dtype || typeof rootKey !== "string" || typeof numel !== "number") {
      throw new CheckpointError("CHECKPOINT_UNEXPECTED_STRUCTURE", "storage reference without a known type, key or size");
    }
    let root = storages.get(rootKey);
    if (!root) {
      root = new StorageRef(rootKey, dtype, numel);
      storages.set(rootKey, root);
    }
    if (Array.isArray(view) && view.length === 3 && typeof view[1] === "number") {
      return new StorageRef(rootKey, dtype, Number(view[2]), view[1]);
    }
    return root;
  };
  return { hooks: { findGlobal: findTorchGlobal, persistentLoad }, storages };
}
