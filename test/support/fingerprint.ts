// Test-only command: prints, for every analysis of the database and storage the settings name, the
// sha256 of its v1 JSON, of its staff PDF (when signed off) and of each of its stored files. Two
// installations with the same fingerprint answer the same bytes (the backup/restore test).
import { db, closeDb } from "@/lib/db/client";
import { analyses } from "@/lib/db/schema";
import { getV1Analysis } from "@/lib/api/v1/queries";
import { loadReportData } from "@/lib/reports/report-data";
import { reportPdf } from "@/lib/reports/report-media";
import { getStored, sha256Hex, type StoredKind } from "@/lib/storage/content-store";

const staff = { kind: "user", userId: "00000000-0000-4000-8000-000000000000", email: "fingerprint@test.invalid", name: "fingerprint", role: "admin" } as const;
const KINDS: StoredKind[] = ["original", "display", "thumbnail"];

const out: Record<string, { json: string; pdf: string | null; files: Record<string, string | null> }> = {};
for (const { id } of await db.select({ id: analyses.id }).from(analyses).orderBy(analyses.id)) {
  const analysis = await getV1Analysis(staff, id);
  const report = await loadReportData(id);
  const files: Record<string, string | null> = {};
  for (const kind of KINDS) {
    const bytes = await getStored(kind, analysis.image.sha256);
    files[kind] = bytes ? sha256Hex(bytes) : null;
  }
  out[id] = {
    json: sha256Hex(Buffer.from(JSON.stringify(analysis))),
    // A fixed "Generated" time: the rest of the PDF is the report's own.
    pdf: report ? sha256Hex(await reportPdf(report, "staff", new Date("2026-01-01T00:00:00Z"))) : null,
    files,
  };
}
await closeDb();
process.stdout.write(`${JSON.stringify(out)}\n`);
