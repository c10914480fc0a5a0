// Values the pickle machine produces. Python lists and tuples become arrays, dicts become Maps,
// and anything that would need Python code to build becomes a PyObject stand-in that merely records
// which class was named and what it was given, so no list of known classes is needed to read a file.

/** A class or function a pickle names with GLOBAL / STACK_GLOBAL that the reader does not implement. */
export class PyGlobal {
  constructor(
    readonly module: string,
    readonly name: string,
  ) {}
  get qualifiedName(): string {
    return `${this.module}.${this.name}`;
  }
}

/** An instance of an unknown class: its constructor arguments, and the state BUILD gave it. */
export class PyObject {
  /** Attributes from a dict state (what `obj.__dict__` would hold in Python). */
  readonly attrs = new Map<string, unknown>();
  /** Items appended (APPENDS) or set (SETITEMS) on the object, for list/dict subclasses. */
  readonly listItems: unknown[] = [];
  readonly dictItems = new Map<unknown, unknown>();
  /** A state that is not a dict (kept as is). */
  rawState: unknown = undefined;

  constructor(
    readonly cls: PyGlobal,
    readonly args: unknown[],
  ) {}

  get className(): string {
    return this.cls.qualifiedName;
  }

  setState(state: unknown): void {
    // (dict_state, slot_state) is how objects with __slots__ pickle their state.
    if (Array.isArray(state) && state.length === 2 && (state[0] instanceof Map || state[0] === null)) {
      for (const part of state) if (part instanceof Map) this.mergeAttrs(part);
      return;
    }
    if (state instanceof Map) this.mergeAttrs(state);
    else this.rawState = state;
  }

  private mergeAttrs(state: Map<unknown, unknown>): void {
    for (const [k, v] of state) if (typeof k === "string") this.attrs.set(k, v);
  }
}

/** A global the reader does implement (OrderedDict, torch's tensor rebuild functions, ...). */
export interface PyCallable {
  readonly kind: "callable";
  readonly qualifiedName: string;
  call(args: unknown[]): unknown;
}

export function isPyCallable(v: unknown): v is PyCallable {
  return typeof v === "object" && v !== null && (v as { kind?: unknown }).kind === "callable";
}

export interface PickleHooks {
  /** Resolve GLOBAL module/name. Return a PyCallable, a value, or undefined for an unknown global. */
  findGlobal?(module: string, name: string): unknown;
  /** Resolve a persistent id (PyTorch uses these to point at tensor storages). */
  persistentLoad?(pid: unknown): unknown;
}
