import { customType } from "drizzle-orm/pg-core";

// A list of numbers stored as float64 bytes (bytea, big-endian as PostgreSQL's float8send writes them)
// instead of a jsonb array: a class activation map is 882 numbers per analysis, which PostgreSQL parsed
// into numerics on every write and readers parsed back from text. A double round-trips exactly, so
// readers get the same numbers the jsonb array gave them.
export const float64Array = customType<{ data: number[]; driverData: Uint8Array }>({
  dataType: () => "bytea",
  toDriver: (values) => float64Bytes(values),
  fromDriver: (bytes) => float64Values(bytes),
});

export function float64Bytes(values: ArrayLike<number>): Buffer {
  const out = Buffer.allocUnsafe(values.length * 8);
  for (let i = 0; i < values.length; i++) out.writeDoubleBE(values[i], i * 8);
  return out;
}

/** The numbers of a float64Array column's bytes (postgres.js gives a Buffer, PGlite a Uint8Array). */
export function float64Values(bytes: Uint8Array): number[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Array<number>(bytes.byteLength >> 3);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat64(i * 8, false);
  return out;
}
