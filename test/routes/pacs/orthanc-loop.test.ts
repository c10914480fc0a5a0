// Integration, the whole loop with a real Orthanc as the hospital's router/PACS: DCMTK storescu sends
// a 12-bit DX to Orthanc by C-STORE; Orthanc forwards it to the app by STOW-RS
// (/dicom-web/servers/cxr/stow); the app (its route handlers in a child process with its own
// queue worker and logs) analyses it and stores an SR and Secondary Captures into the same study
// in Orthanc, read back with dsrdump and checked with dciodvfy. Sign-off sends the VERIFIED SR.
// OHIF (the reference open-source viewer, the built @ohif/app package) then opens the study from
// Orthanc as a radiologist would: the verified SR draws the findings' outlines and the radiologist's
// distance and cardiothoracic lines, and its measurements are listed; the heatmap series shows.
// Orthanc stopped: the analysis completes anyway and its results arrive once Orthanc is back. At the
// end the app's database dump and logs hold no patient name or ID.
import { afterAll, vi } from "vitest";

const dropDb = await vi.hoisted(async () => {
  const { freePort } = await import("@/test/support/pacs/orthanc");
  const orthancHttp = await freePort();
  process.env.ORTHANC_TEST_HTTP_PORT = String(orthancHttp);
  process.env.MODEL_DIR = `${process.env.DATA_DIR}/model-orthanc-loop`;
  process.env.STORAGE_DIR = `${process.env.DATA_DIR}/storage-orthanc-loop`;
  process.env.AUTH_SECRET = "orthanc-loop-test-secret-0123456789abcdef";
  process.env.DICOMWEB_RESULTS_URL = `http://127.0.0.1:${orthancHttp}/dicom-web`;
  process.env.DICOMWEB_RETRY_SECONDS = "1";
  process.env.RATE_LIMIT_PER_KEY = "0";
  process.env.RATE_LIMIT_PER_IP = "0";
  return (await import("@/test/support/isolated-database")).useIsolatedDatabase();
});

import { execFile, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { and, asc, eq } from "drizzle-orm";
import { chromium } from "@playwright/test";
import { beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM_ARGS, CHROMIUM_EXECUTABLE } from "@/test/support/chromium";
import { OhifStudyPage } from "@/test/support/ohif-page";
import { hasOhif, startOhifViewer } from "@/test/support/ohif-viewer";
import { db } from "@/lib/db/client";
import { analyses, findings, resultDeliveries } from "@/lib/db/schema";
import { encodeMultipartRelated } from "@/lib/dicomweb/multipart-related";
import { TEST_PATIENT, testInstance } from "@/test/support/dicomweb/instances";
import { createTestKey, createTestUser, type TestUser } from "@/test/support/principals";
import { ensureDemoModel } from "@/test/support/test-model";
import { deliveryLine } from "@/components/pacs/delivery-state";
import { readDicomHeader } from "@/lib/pacs/dicom-file";
import { deliveriesOf, deliverySummary } from "@/lib/pacs/delivery-status";
import { dciodvfyErrors, dsrdump, hasDicomTools, scoresFromDsrdump } from "@/test/support/pacs/dicom-tools";
import { freePort, hasOrthanc, STORESCU_AET, TestOrthanc } from "@/test/support/pacs/orthanc";

const run = promisify(execFile);
const FIXTURE = path.resolve("../shared/fixtures/dicom/dx-12bit-explicit-le.dcm");
const FIXTURE_PATIENT = { name: "DOE^JANE", id: "FIXTURE-0001" };
const haveStorescu = await run("sh", ["-c", "command -v storescu"]).then(() => true, () => false);
const ready = hasOrthanc() && (await hasDicomTools()) && haveStorescu;
if (!ready) console.warn("SKIPPED: the Orthanc loop needs orthanc, orthanc-dicomweb, dcmtk and dicom3tools (apt-get install -y orthanc orthanc-dicomweb dcmtk dicom3tools)");
const haveFixture = fs.existsSync(FIXTURE);
if (ready && !haveFixture) console.warn(`NOTE: ${FIXTURE} is absent: the loop sends a 12-bit DX written by the test instead`);

const SIGN_OFF_MEASUREMENTS = [
  { kind: "distance", line: [{ x: 40, y: 40 }, { x: 130, y: 40 }] },
  { kind: "ctr", cardiac: [{ x: 60, y: 150 }, { x: 180, y: 150 }], thoracic: [{ x: 20, y: 200 }, { x: 220, y: 200 }] },
];
const SCREENSHOTS = path.resolve("test-reports/ohif");

let app: ChildProcess | null = null;
let appLog = "";
let appUrl = "";
let orthanc: TestOrthanc | null = null;
let key = "";
let radiologist: TestUser;
const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "cxr-loop-"));

async function until<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn().catch(() => null);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n--- app log (tail)\n${appLog.slice(-3000)}\n--- orthanc log (tail)\n${orthanc?.log.slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function startApp(): Promise<string> {
  const child = spawn(path.resolve("node_modules/.bin/tsx"), ["--conditions=react-server", "test/support/pacs/app-server.ts"], {
    env: { ...process.env, LOG_LEVEL: "debug", NODE_ENV: "production" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  app = child;
  child.stderr!.on("data", (d) => (appLog += d));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the app did not start:\n${appLog}`)), 60_000);
    child.stdout!.on("data", (d: Buffer) => {
      appLog += d;
      const m = appLog.match(/LISTENING (\d+)/);
      if (m) {
        clearTimeout(timer);
        resolve(`http://127.0.0.1:${m[1]}`);
      }
    });
    child.once("exit", (code) => reject(new Error(`the app exited (${code}):\n${appLog}`)));
  });
}

const completedAnalysisOf = (studyInstanceUid: string) =>
  until(`the analysis of study ${studyInstanceUid.slice(-8)}`, async () => {
    const [row] = await db.select().from(analyses).where(eq(analyses.studyInstanceUid, studyInstanceUid));
    return row?.status === "completed" ? row : null;
  });

interface OrthancSeries {
  ID: string;
  MainDicomTags: { Modality?: string; SeriesInstanceUID?: string };
  Instances: string[];
}

async function seriesOf(studyId: string, modality: string): Promise<OrthancSeries | null> {
  const series = await orthanc!.json<OrthancSeries[]>(`/studies/${studyId}/series`);
  return series.find((s) => s.MainDicomTags.Modality === modality) ?? null;
}

async function allSeriesOf(studyId: string, modality: string): Promise<OrthancSeries[]> {
  const series = await orthanc!.json<OrthancSeries[]>(`/studies/${studyId}/series`);
  return series.filter((s) => s.MainDicomTags.Modality === modality);
}

async function orthancStudyOf(studyInstanceUid: string): Promise<string | null> {
  const found = await orthanc!.json<string[]>("/tools/lookup", { method: "POST", body: studyInstanceUid });
  const hit = (found as unknown as { Type: string; ID: string }[]).find((f) => f.Type === "Study");
  return hit?.ID ?? null;
}

beforeAll(async () => {
  if (!ready) return;
  await ensureDemoModel();
  radiologist = await createTestUser("radiologist", { name: "Vera Verifier" });
  key = (await createTestKey(radiologist.user)).key;
  appUrl = await startApp();
  orthanc = new TestOrthanc({
    httpPort: Number(process.env.ORTHANC_TEST_HTTP_PORT),
    dicomPort: await freePort(),
    appDicomwebUrl: `${appUrl}/api/dicomweb/`,
    apiKey: key,
  });
  await orthanc.start();
}, 180_000);

afterAll(async () => {
  if (app && app.exitCode === null) {
    const exited = new Promise((r) => app!.once("exit", r));
    app.kill("SIGTERM");
    await exited;
  }
  await orthanc?.dispose();
  fs.rmSync(workDir, { recursive: true, force: true });
  await dropDb();
}, 60_000);

describe.skipIf(!ready)("the PACS loop through a real Orthanc", () => {
  let analysisId = "";
  let studyId = "";
  let studyUid = "";

  it("C-STORE to Orthanc, STOW-RS to the app, results back in the same study: SR with every score, SCs, both valid", async () => {
    const source = haveFixture ? FIXTURE : path.join(workDir, "dx.dcm");
    if (!haveFixture) fs.writeFileSync(source, testInstance("dx", 21).bytes);
    studyUid = String(readDicomHeader(fs.readFileSync(source)).StudyInstanceUID);
    await run("storescu", ["-aet", STORESCU_AET, "-aec", "ORTHANC", "127.0.0.1", String(orthanc!.options.dicomPort), source]);
    studyId = (await until("the C-STORE in Orthanc", () => orthancStudyOf(studyUid)))!;

    const forwarded = await orthanc!.json<Record<string, unknown>>("/dicom-web/servers/cxr/stow", {
      method: "POST",
      body: JSON.stringify({ Resources: [studyId], Synchronous: true }),
    });
    expect(forwarded).toBeTruthy();
    // Analysed in the request or by a queue worker moments later: either way, bounded.
    const row = await completedAnalysisOf(studyUid);
    analysisId = row.id;

    const sr = await until("the SR in Orthanc", () => seriesOf(studyId, "SR"));
    const srBytes = await orthanc!.file(sr.Instances[0]);
    const dump = await dsrdump(srBytes);
    expect(dump).toMatch(/Verification Flag\s*: UNVERIFIED/);
    const stored = await db.select().from(findings).where(eq(findings.analysisId, analysisId)).orderBy(asc(findings.position));
    expect(stored).toHaveLength(18);
    const scores = scoresFromDsrdump(dump);
    expect(scores.size).toBe(18);
    for (const f of stored) expect(Math.abs(scores.get(f.label)! - f.calibrated!), f.label).toBeLessThanOrEqual(1e-3);
    expect(dump).toContain(`"Algorithm Name")="${row.modelName}"`);
    expect(dump).toContain(`"Algorithm Version")="${row.modelVersion}"`);
    expect(dump).toMatch(/"Model trained"\)=\(373067005,SCT,"No"\)/);
    expect(await dciodvfyErrors(srBytes)).toEqual([]);

    const positives = stored.filter((f) => f.positive);
    const sc = await until("the Secondary Captures in Orthanc", async () => {
      const s = await seriesOf(studyId, "OT");
      return s && s.Instances.length === positives.length ? s : null;
    });
    expect(positives.length).toBeGreaterThan(0);
    const scBytes = await orthanc!.file(sc.Instances[0]);
    expect(await dciodvfyErrors(scBytes)).toEqual([]);
    expect(readDicomHeader(scBytes).StudyInstanceUID).toBe(studyUid);
    const [delivery] = await db.select().from(resultDeliveries).where(eq(resultDeliveries.analysisId, analysisId));
    expect(delivery.status).toBe("delivered");
  });

  it("sign-off sends a VERIFIED SR naming the reviewer into the study", async () => {
    const labels = (await db.select({ label: findings.label }).from(findings).where(eq(findings.analysisId, analysisId))).map((r) => r.label);
    const res = await fetch(`${appUrl}/api/analyses/${analysisId}/review/sign-off`, {
      method: "POST",
      // As the app's own page sends it (state-changing session requests must name their origin).
      headers: { cookie: radiologist.cookie, "content-type": "application/json", origin: appUrl },
      body: JSON.stringify({
        decisions: Object.fromEntries(labels.map((l) => [l, "agree"])),
        impression: "Signed off in the loop test.",
        // In image pixels of the film; it has no pixel spacing, so the SR gives the lengths in pixels.
        measurements: SIGN_OFF_MEASUREMENTS,
      }),
    });
    expect(res.status).toBe(200);
    // Each report version is a series of its own, beside the unverified one.
    const verified = await until("the verified SR in Orthanc", async () => {
      const series = await allSeriesOf(studyId, "SR");
      if (series.length < 2) return null;
      for (const s of series) {
        const bytes = await orthanc!.file(s.Instances[0]);
        if (readDicomHeader(bytes).VerificationFlag === "VERIFIED") return bytes;
      }
      return null;
    });
    expect(readDicomHeader(verified).SeriesDescription).toMatch(/^AI findings · PA · VERIFIED v1/);
    const dump = await dsrdump(verified);
    expect(dump).toMatch(/Verifying Observers : .*Vera Verifier/);
    expect(dump).toContain('"Impression")="Signed off in the loop test."');
    expect(await dciodvfyErrors(verified)).toEqual([]);
  });

  it("OHIF opens the study: the verified SR draws without an error and lists the distance, the CTR widths and the positive findings; the heatmaps show", async () => {
    expect(hasOhif(), "the devDependency @ohif/app is not installed (npm ci)").toBe(true);
    const positives = (await db.select().from(findings).where(eq(findings.analysisId, analysisId)).orderBy(asc(findings.position))).filter((f) => f.positive);
    expect(positives.length).toBeGreaterThan(0);
    const viewer = await startOhifViewer(`${orthanc!.url}/dicom-web`);
    const browser = await chromium.launch({ executablePath: CHROMIUM_EXECUTABLE, args: CHROMIUM_ARGS });
    try {
      const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
      const ohif = new OhifStudyPage(page);
      await ohif.open(viewer.studyUrl(studyUid));
      const until = { timeout: 60_000 };
      fs.mkdirSync(SCREENSHOTS, { recursive: true });

      // The series read as what they are.
      await ohif.series("AI heatmaps · PA · UNTRAINED MODEL").waitFor(until);
      await ohif.series("AI findings · PA · UNVERIFIED · UNTRAINED MODEL").waitFor(until);
      await ohif.series("AI findings · PA · VERIFIED v1 · UNTRAINED MODEL").waitFor(until);

      // The heatmap captures display.
      await ohif.openSeries("AI heatmaps · PA");
      await page.waitForFunction(() => document.querySelector('[data-cy="viewport-pane"] canvas') !== null, undefined, until);
      await page.waitForTimeout(2_000);
      await page.screenshot({ path: path.join(SCREENSHOTS, "orthanc-loop-heatmaps.png") });
      expect(await ohif.errorBoundary().count(), ohif.errors.join("\n")).toBe(0);

      // The verified SR: drawn on the film, then tracked into OHIF's measurement panel.
      await ohif.openSeries("AI findings · PA · VERIFIED v1");
      await ohif.trackMeasurements();
      await ohif.openMeasurementPanel();
      const expected = [
        ...positives.map((f) => `${f.label.replace(/_/g, " ")} (AI, UNTRAINED MODEL) ${f.calibrated!.toFixed(2)}`),
        "Distance 90 px (uncalibrated)",
        "CTR 0.60: cardiac width 120 px (uncalibrated)",
        "CTR 0.60: thoracic width 200 px (uncalibrated)",
      ];
      await expect.poll(() => ohif.measurementTitles().allTextContents(), until).toEqual(expected);
      await page.waitForTimeout(1_000);
      await page.screenshot({ path: path.join(SCREENSHOTS, "orthanc-loop-verified-sr.png") });
      expect(await ohif.errorBoundary().count(), ohif.errors.join("\n")).toBe(0);
    } catch (error) {
      // What the reader would have seen, kept beside the others.
      const [page] = browser.contexts().flatMap((c) => c.pages());
      await page?.screenshot({ path: path.join(SCREENSHOTS, "orthanc-loop-failure.png") }).catch(() => undefined);
      throw error;
    } finally {
      await browser.close();
      await viewer.close();
    }
  }, 180_000);

  it("with Orthanc down the analysis completes all the same, and its results arrive when Orthanc is back", async () => {
    await orthanc!.stop();
    const dx = testInstance("dx", 22);
    const { body, contentType } = encodeMultipartRelated([dx.bytes], "application/dicom");
    const res = await fetch(`${appUrl}/api/dicomweb/studies`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": contentType },
      body: new Uint8Array(body),
    });
    expect(res.status).toBe(200);
    // The analysis is not held up by the PACS being away.
    const row = await completedAnalysisOf(dx.studyInstanceUid);
    const failing = await until("a failed delivery attempt", async () => {
      const [d] = await db
        .select()
        .from(resultDeliveries)
        .where(and(eq(resultDeliveries.analysisId, row.id), eq(resultDeliveries.reviewVersion, 0)));
      return d && d.attempts >= 2 && d.status === "pending" ? d : null;
    });
    expect(failing.lastError).toMatch(/could not be reached/);
    // What the result page and the system page show meanwhile.
    expect(deliveryLine((await deliveriesOf(row.id))[0])).toMatch(/^SR and heatmap captures: retrying \(attempt \d+ failed: the PACS could not be reached/);
    expect((await deliverySummary()).outstanding.map((d) => d.analysisId)).toContain(row.id);

    await orthanc!.start();
    const study = await until("the late results' study in Orthanc", () => orthancStudyOf(dx.studyInstanceUid));
    const sr = await until("the late SR in Orthanc", () => seriesOf(study, "SR"));
    expect(await dsrdump(await orthanc!.file(sr.Instances[0]))).toMatch(/Verification Flag\s*: UNVERIFIED/);
    await until("the delivery marked delivered", async () => {
      const [d] = await db.select().from(resultDeliveries).where(eq(resultDeliveries.analysisId, row.id));
      return d?.status === "delivered";
    });
    expect(deliveryLine((await deliveriesOf(row.id))[0])).toMatch(/^SR and heatmap captures: delivered /);
  });

  it("leaves no patient name or patient ID in the app's database dump or logs", async () => {
    const { stdout } = await run("pg_dump", ["--data-only", process.env.DATABASE_URL!], { maxBuffer: 256 << 20 });
    expect(stdout).toContain("result_deliveries");
    for (const secret of [FIXTURE_PATIENT.name, FIXTURE_PATIENT.id, TEST_PATIENT.name, TEST_PATIENT.id]) {
      expect(stdout, "database dump").not.toContain(secret);
      expect(appLog, "app log").not.toContain(secret);
    }
    // The log is not empty: the check above looked at something.
    expect(appLog).toMatch(/results delivered to the PACS/);
  });
});
