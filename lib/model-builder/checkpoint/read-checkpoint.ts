import "server-only";
import { readFile } from "node:fs/promises";
import { CheckpointError } from "@/lib/inference/errors";
import { unpickle } from "./pickle-machine";
import { findTensors, type ModuleInfo } from "./state-dict";
import { materialize, storageToFloat32, type Tensor } from "./tensor-data";
import { DTYPE_BYTES, torchPickleHooks, type StorageRef } from "./torch-pickle";
import { ZipArchive } from "./zip-archive";

// Reads PyTorch checkpoints without Python: the zip format of torch >= 1.6 and the legacy format
// (magic number, protocol, sys info, the object, storage keys, then raw storages back to back).

export interface Checkpoint {
  format: "zip" | "legacy";
  /** A pickled nn.Module tree or a plain state_dict. */
  kind: "module" | "state_dict";
  rootClass: string | null;
  tensors: Map<string, Tensor>;
  /** Per-module class and scalar attributes; empty for state_dicts, which do not record them. */
  modules: Map<string, ModuleInfo>;
  /** Entries that held no tensor (None buffers such as op_threshs). */
  skipped: string[];
}

const LEGACY_MAGIC = 0x1950a86a20f9469cfc6cn;
const LEGACY_PROTOCOL = 1001;

export async function readCheckpointFile(file: string): Promise<Checkpoint> {
  return readCheckpoint(await readFile(file));
}

export function readCheckpoint(bytes: Uint8Array): Checkpoint {
  if (bytes.length < 4) throw new CheckpointError("CHECKPOINT_TRUNCATED", `file is ${bytes.length} bytes long, too short for a checkpoint`);
  if (bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) return readZip(bytes);
  if (bytes[0] === 0x80) return readLegacy(bytes);
  if (bytes.length > 262 && new TextDecoder().decode(bytes.subarray(257, 262)) === "ustar") {
    throw new CheckpointError("CHECKPOINT_UNSUPPORTED", "this is the tar checkpoint format of PyTorch < 0.4, which is not supported");
  }
  throw new CheckpointError(
    "CHECKPOINT_NOT_PYTORCH",
    "not a PyTorch checkpoint: it starts with neither a zip header nor the legacy pickle magic",
  );
}

function assemble(format: Checkpoint["format"], root: unknown, loadStorage: (s: StorageRef) => Float32Array): Checkpoint {
  const found = findTensors(root);
  const cache = new Map<string, Float32Array>();
  const tensors = new Map<string, Tensor>();
  for (const [name, ref] of found.refs) {
    let storage = cache.get(ref.storage.key);
    if (!storage) {
      storage = loadStorage(ref.storage);
      cache.set(ref.storage.key, storage);
    }
    tensors.set(name, materialize(ref, storage, name));
  }
  return { format, kind: found.kind, rootClass: found.rootClass, tensors, modules: found.modules, skipped: found.skipped };
}

function readZip(bytes: Uint8Array): Checkpoint {
  const zip = new ZipArchive(bytes);
  const pkl = [...zip.entries.keys()].filter((n) => n === "data.pkl" || n.endsWith("/data.pkl")).sort((a, b) => a.length - b.length)[0];
  if (!pkl) throw new CheckpointError("CHECKPOINT_UNEXPECTED_STRUCTURE", "zip archive has no data.pkl: not a PyTorch checkpoint");
  const prefix = pkl.slice(0, -"data.pkl".length);
  if (zip.entries.has(`${prefix}byteorder`)) {
    const order = new TextDecoder().decode(zip.read(`${prefix}byteorder`)).trim();
    if (order !== "little") throw new CheckpointError("CHECKPOINT_UNSUPPORTED", `storages are ${order}-endian`);
  }
  const { hooks } = torchPickleHooks();
  const { value } = unpickle(zip.read(pkl), 0, hooks);
  return assemble("zip", value, (s) => {
    const name = `${prefix}data/${s.key}`;
    if (!zip.entries.has(name)) throw new CheckpointError("CHECKPOINT_UNEXPECTED_STRUCTURE", `storage ${s.key} is missing from the archive`);
    return storageToFloat32(zip.read(name), s.dtype);
  });
}

function readLegacy(bytes: Uint8Array): Checkpoint {
  let magic: unknown;
  let pos: number;
  try {
    ({ value: magic, end: pos } = unpickle(bytes, 0));
  } catch (err) {
    if (err instanceof CheckpointError && err.code === "CHECKPOINT_TRUNCATED") throw err;
    throw new CheckpointError("CHECKPOINT_NOT_PYTORCH", "a pickle file, but without PyTorch's legacy magic number");
  }
  if (magic !== LEGACY_MAGIC) {
    throw new CheckpointError("CHECKPOINT_NOT_PYTORCH", "a pickle file, but without PyTorch's legacy magic number");
  }
  const version = unpickle(bytes, pos);
  if (version.value !== LEGACY_PROTOCOL) {
    throw new CheckpointError("CHECKPOINT_UNSUPPORTED", `legacy checkpoint protocol ${String(version.value)} (expected ${LEGACY_PROTOCOL})`);
  }
  const sysInfo = unpickle(bytes, version.end);
  if (sysInfo.value instanceof Map && sysInfo.value.get("little_endian") === false) {
    throw new CheckpointError("CHECKPOINT_UNSUPPORTED", "checkpoint was written on a big-endian machine");
  }
  const { hooks, storages } = torchPickleHooks();
  const main = unpickle(bytes, sysInfo.end, hooks);
  const keysPickle = unpickle(bytes, main.end);
  const keys = keysPickle.value;
  if (!Array.isArray(keys) || !keys.every((k) => typeof k === "string")) {
    throw new CheckpointError("CHECKPOINT_UNEXPECTED_STRUCTURE", "legacy checkpoint storage key list is missing");
  }
  // Storages follow in key order, each as an int64 element count and raw little-endian elements.
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const data = new Map<string, Uint8Array>();
  let p = keysPickle.end;
  for (const key of keys) {
    const ref = storages.get(key);
    if (!ref) throw new CheckpointError("CHECKPOINT_UNEXPECTED_STRUCTURE", `storage ${key} is listed but never used`);
    if (p + 8 > bytes.length) throw new CheckpointError("CHECKPOINT_TRUNCATED", `file ends before storage ${key}`);
    const count = view.getBigInt64(p, true);
    const size = BigInt(DTYPE_BYTES[ref.dtype]) * count;
    if (count < 0n || BigInt(p + 8) + size > BigInt(bytes.length)) {
      throw new CheckpointError("CHECKPOINT_TRUNCATED", `file ends inside storage ${key}`);
    }
    data.set(key, bytes.subarray(p + 8, p + 8 + Number(size)));
    p += 8 + Number(size);
  }
  return assemble("legacy", main.value, (s) => {
    const raw = data.get(s.key);
    if (!raw) throw new CheckpointError("CHECKPOINT_UNEXPECTED_STRUCTURE", `storage ${s.key} has no data`);
    return storageToFloat32(raw, s.dtype);
  });
}
