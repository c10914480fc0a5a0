import type { Code } from "./codes";

// SR content items as dcmjs naturalized datasets: the few builders every part of the content tree uses.

export type Item = Record<string, unknown>;

export const base = (relationship: string, valueType: string, concept: Code): Item => ({
  RelationshipType: relationship,
  ValueType: valueType,
  ConceptNameCodeSequence: [concept],
});

export const text = (rel: string, concept: Code, value: string): Item => ({ ...base(rel, "TEXT", concept), TextValue: value.slice(0, 10240) });
export const codeItem = (rel: string, concept: Code, value: Code, children?: Item[]): Item => ({
  ...base(rel, "CODE", concept),
  ConceptCodeSequence: [value],
  ...(children?.length ? { ContentSequence: children } : {}),
});
export const uidref = (rel: string, concept: Code, uid: string): Item => ({ ...base(rel, "UIDREF", concept), UID: uid });
export const container = (rel: string, concept: Code, children: Item[]): Item => ({
  ...base(rel, "CONTAINER", concept),
  ContinuityOfContent: "SEPARATE",
  ContentSequence: children,
});

/** DS holds 16 characters: `decimals` is cut back when the value would not fit. */
export const num = (rel: string, concept: Code, value: number, unit: Code, decimals = 6, children?: Item[]): Item => ({
  ...base(rel, "NUM", concept),
  MeasuredValueSequence: [{ NumericValue: value.toFixed(decimals).slice(0, 16), FloatingPointValue: value, MeasurementUnitsCodeSequence: [unit] }],
  ...(children?.length ? { ContentSequence: children } : {}),
});
