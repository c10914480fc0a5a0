import { CheckpointError } from "@/lib/inference/errors";
import { PyObject } from "./pickle-types";
import { TensorRef } from "./torch-pickle";

// Finds the named tensors in whatever object a checkpoint pickled: a whole nn.Module tree (walk
// _parameters, _buffers and _modules like Module.state_dict() does), a plain state_dict, or the
// common training wrappers {"state_dict": ...} / {"model": ...}.

export interface ModuleInfo {
  /** Python class, e.g. torch.nn.modules.batchnorm.BatchNorm2d. */
  type: string;
  /** Scalar attributes (eps, stride, padding, ...) that may matter to a graph builder. */
  attrs: Record<string, number | string | boolean | number[] | null>;
}

export interface FoundTensors {
  kind: "module" | "state_dict";
  rootClass: string | null;
  refs: Map<string, TensorRef>;
  modules: Map<string, ModuleInfo>;
  /** Entries that were present but not tensors (None buffers such as op_threshs). */
  skipped: string[];
}

const WRAPPER_KEYS = ["state_dict", "model_state_dict", "model", "net", "module", "ema"];

function scalarAttrs(obj: PyObject): ModuleInfo["attrs"] {
  const out: ModuleInfo["attrs"] = {};
  for (const [k, v] of obj.attrs) {
    if (k.startsWith("_")) continue;
    if (v === null || typeof v === "number" || typeof v === "string" || typeof v === "boolean") out[k] = v;
    else if (Array.isArray(v) && v.every((x) => typeof x === "number")) out[k] = v as number[];
  }
  return out;
}

function isModule(v: unknown): v is PyObject {
  return v instanceof PyObject && (v.attrs.has("_parameters") || v.attrs.has("_modules"));
}

function walkModule(obj: PyObject, prefix: string, found: FoundTensors, depth: number) {
  if (depth > 64) throw new CheckpointError("CHECKPOINT_UNEXPECTED_STRUCTURE", "module tree is nested implausibly deep");
  found.modules.set(prefix.replace(/\.$/, ""), { type: obj.className, attrs: scalarAttrs(obj) });
  for (const slot of ["_parameters", "_buffers"]) {
    const entries = obj.attrs.get(slot);
    if (entries === undefined || entries === null) continue;
    if (!(entries instanceof Map)) throw new CheckpointError("CHECKPOINT_UNEXPECTED_STRUCTURE", `${prefix}${slot} is not a dict`);
    const nonPersistent = obj.attrs.get("_non_persistent_buffers_set");
    for (const [name, value] of entries) {
      const key = `${prefix}${String(name)}`;
      if (slot === "_buffers" && Array.isArray(nonPersistent) && nonPersistent.includes(name)) continue;
      if (value instanceof TensorRef) found.refs.set(key, value);
      else found.skipped.push(key);
    }
  }
  const children = obj.attrs.get("_modules");
  if (children instanceof Map) {
    for (const [name, child] of children) {
      if (child === null) continue;
      if (!isModule(child)) throw new CheckpointError("CHECKPOINT_UNEXPECTED_STRUCTURE", `${prefix}${String(name)} is not a module`);
      walkModule(child, `${prefix}${String(name)}.`, found, depth + 1);
    }
  }
}

function collectDict(map: Map<unknown, unknown>, found: FoundTensors) {
  for (const [k, v] of map) {
    if (typeof k !== "string") continue;
    if (v instanceof TensorRef) found.refs.set(k, v);
    else found.skipped.push(k);
  }
}

function stripCommonPrefix(refs: Map<string, TensorRef>): Map<string, TensorRef> {
  // nn.DataParallel / DistributedDataParallel checkpoints prefix every key with "module.".
  const keys = [...refs.keys()];
  if (keys.length === 0 || !keys.every((k) => k.startsWith("module."))) return refs;
  return new Map([...refs].map(([k, v]) => [k.slice("module.".length), v]));
}

export function findTensors(root: unknown): FoundTensors {
  const found: FoundTensors = { kind: "state_dict", rootClass: null, refs: new Map(), modules: new Map(), skipped: [] };
  let value = root;
  for (let hops = 0; hops < 4; hops++) {
    if (isModule(value)) {
      found.kind = "module";
      found.rootClass = value.className;
      walkModule(value, "", found, 0);
      break;
    }
    if (value instanceof Map) {
      const hasTensors = [...value.values()].some((v) => v instanceof TensorRef);
      const wrapper = WRAPPER_KEYS.find((k) => value instanceof Map && value.has(k) && !hasTensors);
      if (wrapper) {
        value = value.get(wrapper);
        continue;
      }
      collectDict(value, found);
      break;
    }
    break;
  }
  found.refs = stripCommonPrefix(found.refs);
  if (found.refs.size === 0) {
    const what = value instanceof PyObject ? `an object of class ${value.className}` : Array.isArray(value) ? "a list" : typeof value;
    throw new CheckpointError(
      "CHECKPOINT_UNEXPECTED_STRUCTURE",
      `the checkpoint holds ${what} with no tensors; expected a model or a state_dict`,
    );
  }
  return found;
}
