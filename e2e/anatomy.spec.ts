// Anatomy on the result page, on a server of this spec's own with the anatomy model on (the shared server
// runs without it: a segmentation takes tens of seconds on a CPU, which every other spec's uploads would
// queue behind). CI has no trained weights: the fixture PSPNet (random weights, converted by
// e2e/support/prepare.ts) segments the fixture film whose reference CTR is 0.757; the viewer draws its
// outlines and the two measured lines, labelled as measured by software and as UNTRAINED, beside the
// reader's own CTR tool, with a keyboard-operable legend, and the page has no axe violations.
import fs from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { wcagViolations } from "../test/support/axe-check";
import { zooModelDir, zooPresent } from "../test/support/zoo-models";
import { AnatomyOverlay } from "./pages/anatomy-overlay";
import { ResultPage } from "./pages/result-page";
import { signIn } from "./support/auth";
import { OwnServer } from "./support/own-server";

const FILM = "00027426_000.png";

let own: OwnServer;

test.beforeAll(async () => {
  // A missing fixture is a failure, not a skip.
  expect(zooPresent, "../shared/fixtures/zoo is needed").toBe(true);
  test.setTimeout(240_000);
  own = await OwnServer.create();
  await own.start({ ANATOMY_MODEL_DIR: await zooModelDir("pspnet"), ORT_INTRA_OP_THREADS: "2" });
});

test.afterAll(async () => {
  await own?.dispose();
});

test("a frontal film shows the anatomy outlines and the measured CTR with its two lines, beside the reader's CTR tool", async ({ browser }) => {
  test.setTimeout(420_000);
  const reference = JSON.parse(fs.readFileSync(path.resolve("../shared/fixtures/zoo/pspnet/reference.json"), "utf8")) as { images: { file: string; ctr: { ratio: number | null } }[] };
  const expected = reference.images.find((im) => im.file === FILM)!.ctr.ratio!;
  expect(expected).not.toBeNull();

  const ctx = await browser.newContext({ baseURL: own.baseURL });
  const page = await ctx.newPage();
  await signIn(page, own.users.radiologist);
  // Sent as this server's own upload page would (its origin, not the shared server's).
  const file = { name: FILM, mimeType: "image/png", buffer: fs.readFileSync(path.resolve("../shared/fixtures/xrv/images", FILM)) };
  const sent = await page.request.post("/api/analyses", { multipart: { file }, headers: { origin: own.baseURL, prefer: "wait=60" } });
  expect(sent.status(), await sent.text()).toBe(201);
  const id = ((await sent.json()) as { analyses: { id: string }[] }).analyses[0].id;

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
