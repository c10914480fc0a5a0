// Integration (real PostgreSQL, the real upload and worker): a de-identified export of a day's films.
// dciodvfy finds no error in the DICOM written; no byte of any exported file holds the test patient's
// name, ID, birth date, accession numbers, original UIDs or the originals' hashes.
import fs from "node:fs";
import path from "node:path";
import os from "node:os";
import { eq } from "drizzle-orm";
import { afterAll, describe, expect, it, vi } from "vitest";
import { acceptUpload } from "@/lib/uploads/accept-upload";
import { waitForFinished } from "@/lib/analyses/completion";
import { db } from "@/lib/db/client";
import { auditEvents } from "@/lib/db/schema";
import { TEST_PATIENT } from "@/test/support/dicomweb/instances";
import { syntheticFilmPng } from "@/test/support/imaging/synthetic-film";
import { closeAllModels } from "@/lib/inference";
import { readDicomFile } from "@/lib/pacs/dicom-file";
import { dciodvfyErrors } from "@/test/support/pacs/dicom-tools";
import { startAnalysisWorker, stopAnalysisWorker } from "@/lib/jobs/analysis-worker";
import { sha256Hex } from "@/lib/storage/content-store";
import { ensureDemoModel } from "@/test/support/test-model";
import { seedUser } from "@/test/support/triage/seed";
import { conformantDx } from "@/test/support/conformant-dx";
import { exportDeidentified } from "./export-set";

const dropDb = await vi.hoisted(async () => {
  process.env.MODEL_DIR = `${process.env.DATA_DIR}/model`;
  return (await import("@/test/support/isolated-database")).useIsolatedDatabase();
});

afterAll(async () => {
  await stopAnalysisWorker();
  await closeAllModels();
  await dropDb();
});

const text = (v: unknown) => (typeof v === "string" ? v : Array.isArray(v) ? String(v[0] ?? "") : "");

describe("de-identified export", () => {
  it("writes valid DICOM, PNG renderings and findings with nothing that identifies the patient", async () => {
    await ensureDemoModel();
    const admin = await seedUser("admin");
    const films = [conformantDx(9401), conformantDx(9402)];
    const { ids } = await acceptUpload({
      actor: admin,
      files: [...films.map((bytes, i) => ({ fileName: `export-${i}.dcm`, bytes })), { fileName: "export.png", bytes: await syntheticFilmPng(11, 384) }],
    });
    await startAnalysisWorker("web");
    expect(await waitForFinished(ids, 120_000)).toBe(true);

    const day = new Date().toISOString().slice(0, 10);
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "cxr-export-")), "research");
    const summary = await exportDeidentified(admin, { from: day, to: day }, out);
    expect(summary).toEqual({ cases: 3, dicomFiles: 2, pngFiles: 3, skipped: [] });

    const dicomFiles = fs.readdirSync(path.join(out, "dicom")).map((f) => fs.readFileSync(path.join(out, "dicom", f)));
    for (const file of dicomFiles) expect(await dciodvfyErrors(file)).toEqual([]);
    const pseudonyms = dicomFiles.map((f) => text(readDicomFile(f).dataset.PatientID));
    expect(new Set(pseudonyms).size).toBe(1);
    expect(pseudonyms[0]).toMatch(/^EXPORT-P\d{4}$/);
    const csv = fs.readFileSync(path.join(out, "findings.csv"), "utf8").trim().split("\r\n");
    expect(csv).toHaveLength(4);
    expect(csv[0]).toContain("score:Effusion");

    const traces = [TEST_PATIENT.name, ...TEST_PATIENT.name.split("^"), TEST_PATIENT.id, "19600101", "ACC9401", "ACC9402", "20261130"];
    for (const film of films) {
      const { dataset } = readDicomFile(film);
      traces.push(text(dataset.StudyInstanceUID), text(dataset.SeriesInstanceUID), text(dataset.SOPInstanceUID), sha256Hex(film));
    }
    const every = fs
      .readdirSync(out, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => fs.readFileSync(path.join(e.parentPath, e.name)).toString("latin1"))
      .join("\n");
    expect(every.length).toBeGreaterThan(10_000);
    expect(traces.filter((t) => every.includes(t))).toEqual([]);

    const [audit] = await db.select().from(auditEvents).where(eq(auditEvents.action, "data.export_deidentified"));
    expect(audit).toMatchObject({ actorUserId: admin.userId, details: { cases: 3, dicomFiles: 2, pngFiles: 3, skipped: 0 } });
  });
});
