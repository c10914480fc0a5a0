// The backup story, run per database: films through the real upload, worker and sign-off; then
// `npm run backup`, `npm run restore` into an empty database and storage, and every analysis's JSON,
// PDF and files compared by hash; `npm run storage:check` clean, then naming a file the test alters.
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { expect, it } from "vitest";
import { acceptUpload } from "@/lib/uploads/accept-upload";
import { waitForFinished } from "@/lib/analyses/completion";
import { db } from "@/lib/db/client";
import { findings } from "@/lib/db/schema";
import { testInstance } from "@/test/support/dicomweb/instances";
import { syntheticFilmPng } from "@/test/support/imaging/synthetic-film";
import { startAnalysisWorker, stopAnalysisWorker } from "@/lib/jobs/analysis-worker";
import { signOffReview } from "@/lib/reviews/service";
import { seedUser } from "@/test/support/triage/seed";
import { runAppCommand } from "./app-command";

export interface BackupSides {
  /** The settings of the installation the test seeded (its process lets go of the database first). */
  source(): Promise<Record<string, string | undefined>>;
  /** Settings naming a new, empty database and storage. */
  emptyTarget(): Promise<{ env: Record<string, string | undefined>; storageDir: string }>;
}

const tmp = (name: string) => fs.mkdtempSync(path.join(os.tmpdir(), `cxr-${name}-`));

export function backupScenario(sides: BackupSides): void {
  it("restores a backup into an empty installation that answers the same bytes; storage:check finds an altered file", async () => {
    const reader = await seedUser("radiologist");
    const { ids } = await acceptUpload({
      actor: reader,
      files: [
        { fileName: "a.dcm", bytes: testInstance("dx", 9201).bytes },
        { fileName: "b.png", bytes: await syntheticFilmPng(7, 384) },
      ],
    });
    await startAnalysisWorker("web");
    expect(await waitForFinished(ids, 120_000)).toBe(true);
    const calls = await db.select({ label: findings.label }).from(findings).where(eq(findings.analysisId, ids[0]));
    await signOffReview({
      actor: reader,
      analysisId: ids[0],
      input: { decisions: Object.fromEntries(calls.map((c) => [c.label, "agree" as const])), addedFindings: [], impression: "Backup test." },
    });
    await stopAnalysisWorker();
    const source = await sides.source();

    const out = path.join(tmp("backup"), "b1");
    const made = await runAppCommand("lib/cli/backup.ts", ["--out", out], source);
    expect(made.stderr).toBe("");
    expect(made.code).toBe(0);
    expect(JSON.parse(made.stdout)).toMatchObject({ files: expect.any(Number) });
    const manifest = JSON.parse(fs.readFileSync(path.join(out, "manifest.json"), "utf8"));
    expect(manifest.files.length).toBeGreaterThanOrEqual(6);

    const target = await sides.emptyTarget();
    const restored = await runAppCommand("lib/cli/restore.ts", ["--from", out], target.env);
    expect(restored.stderr).toBe("");
    expect(restored.code).toBe(0);

    const before = await runAppCommand("test/support/fingerprint.ts", [], source);
    const after = await runAppCommand("test/support/fingerprint.ts", [], target.env);
    expect(before.code).toBe(0);
    const prints = JSON.parse(before.stdout);
    expect(Object.keys(prints).sort()).toEqual([...ids].sort());
    expect(prints[ids[0]].pdf).toMatch(/^[0-9a-f]{64}$/);
    expect(Object.values(prints[ids[1]].files)).not.toContain(null);
    expect(JSON.parse(after.stdout)).toEqual(prints);

    // A second restore into what is no longer empty is refused, and nothing is written.
    const again = await runAppCommand("lib/cli/restore.ts", ["--from", out], target.env);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/not empty/);

    const clean = await runAppCommand("lib/cli/storage-check.ts", [], target.env);
    expect(clean.code).toBe(0);
    expect(JSON.parse(clean.stdout)).toMatchObject({ missing: [], altered: [], orphans: [] });
    const altered: string = manifest.files.find((f: { key: string }) => f.key.startsWith("original/")).key;
    const file = path.join(target.storageDir, altered);
    fs.writeFileSync(file, Buffer.concat([fs.readFileSync(file), crypto.randomBytes(1)]));
    fs.writeFileSync(path.join(target.storageDir, "display", `${"0".repeat(64)}.png`), "stray");
    const dirty = await runAppCommand("lib/cli/storage-check.ts", [], target.env);
    expect(dirty.code).toBe(1);
    const report = JSON.parse(dirty.stdout);
    expect(report.altered.map((a: { key: string }) => a.key)).toEqual([altered]);
    expect(report.orphans).toEqual([`display/${"0".repeat(64)}.png`]);
  });
}
