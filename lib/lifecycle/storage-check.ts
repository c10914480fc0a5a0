// The storage check: records whose files are missing or altered, and files no record points to. An
// original is checked by its content (its key is its sha256); renderings by being PNG files; the pixel
// stream is a cache made again on demand, so only its absence of a record counts.
import "server-only";
import { db } from "@/lib/db/client";
import { images } from "@/lib/db/schema";
import { getStoredKey, listStoredKeys, parseStorageKey, sha256Hex, storageKey, type StoredKind } from "@/lib/storage/content-store";

export interface StorageReport {
  /** Images in the database and files in storage that were looked at. */
  checked: { images: number; files: number };
  missing: { key: string; sha256: string }[];
  altered: { key: string; sha256: string; reason: string }[];
  /** Keys that no image record points to (or that this app never writes). */
  orphans: string[];
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export async function checkStorage(): Promise<StorageReport> {
  const rows = await db.select({ sha: images.sha256, originalRemovedAt: images.originalRemovedAt, renderingsRemovedAt: images.renderingsRemovedAt }).from(images);
  const keys = await listStoredKeys();
  const present = new Set(keys);
  const known = new Set(rows.map((r) => r.sha));
  const report: StorageReport = { checked: { images: rows.length, files: keys.length }, missing: [], altered: [], orphans: [] };

  for (const row of rows) {
    const expected: StoredKind[] = [...(row.originalRemovedAt ? [] : (["original"] as const)), ...(row.renderingsRemovedAt ? [] : (["display", "thumbnail"] as const))];
    for (const kind of expected) {
      const key = storageKey(kind, row.sha);
      if (!present.has(key)) {
        report.missing.push({ key, sha256: row.sha });
        continue;
      }
      const bytes = await getStoredKey(key);
      if (!bytes) report.missing.push({ key, sha256: row.sha });
      else if (kind === "original" && sha256Hex(bytes) !== row.sha) report.altered.push({ key, sha256: row.sha, reason: "its content no longer matches its sha256" });
      else if (kind !== "original" && !bytes.subarray(0, 8).equals(PNG_SIGNATURE)) report.altered.push({ key, sha256: row.sha, reason: "it is no longer a PNG image" });
    }
  }
  for (const key of keys) {
    const parsed = parseStorageKey(key);
    if (!parsed || !known.has(parsed.sha256)) report.orphans.push(key);
  }
  return report;
}

export function storageReportIsClean(r: StorageReport): boolean {
  return r.missing.length === 0 && r.altered.length === 0 && r.orphans.length === 0;
}
