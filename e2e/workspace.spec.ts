// The radiologist's workspace end to end: a site configures triage so one study is critical and
// another normal (real rules over real model output), the worklist puts the critical one first and its
// filters narrow it, the viewer windows, zooms and overlays a heatmap, the radiologist reviews with one
// disagreement and signs off, the signed report is locked until amended, and the statistics show the
// agreement computed from that review.
import crypto from "node:crypto";
import { expect, test, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { ReviewPanel } from "./pages/review-panel";
import { StatsPage } from "./pages/stats-page";
import { Viewer } from "./pages/viewer";
import { WorklistPage } from "./pages/worklist-page";
import { signIn } from "./support/auth";
import { createUsers, type SeededUser } from "./support/users";
import { studyFiles, uploadStudy, type StudyUpload } from "./support/studies";
import { lockSiteThresholds } from "./support/site-thresholds-lock";
import { calibratedScores, localDays, setThresholds, triageLabels } from "./support/workspace-support";
import { fromAppPage } from "./support/same-origin";

test.describe.configure({ mode: "serial" });

const tag = `e2e-ws-${crypto.randomBytes(3).toString("hex")}`;
let reader: SeededUser;
let adminCtx: BrowserContext;
let readerCtx: BrowserContext;
let page: Page;
let files: StudyUpload[];
let critical: string;
let normal: string;
let criticalFile: string;
let normalFile: string;
let labels: string[];
/** The label the reviewer disagrees with, and whether the AI called it positive. */
let disputed: { label: string; positive: boolean };
let releaseThresholds: (() => void) | undefined;

async function signedInContext(browser: Browser, user: SeededUser): Promise<{ ctx: BrowserContext; page: Page }> {
  const ctx = await browser.newContext();
  const p = await ctx.newPage();
  await signIn(p, user);
  return { ctx, page: p };
}

test.beforeAll(async ({ browser }) => {
  // Accounts of this spec's own: the statistics are read for this radiologist's uploads only.
  const [r, admin] = await createUsers([
    ["radiologist", `Dr ${tag}`],
    ["admin", `Admin ${tag}`],
  ]);
  reader = r;
  ({ ctx: readerCtx, page } = await signedInContext(browser, reader));
  ({ ctx: adminCtx } = await signedInContext(browser, admin));
  const request = page.request;

  files = await studyFiles(tag);
  const a = await uploadStudy(request, files[0]);
  const b = await uploadStudy(request, files[1]);
  const [sa, sb] = [await calibratedScores(request, a), await calibratedScores(request, b)];
  const [pa, pb] = [sa.Pneumothorax, sb.Pneumothorax];
  // The demo model is untrained, so its scores cannot be chosen: the site threshold is put between them.
  expect(Math.abs(pa - pb), `Pneumothorax scores ${pa} and ${pb} are too close to separate`).toBeGreaterThan(0.02);
  const threshold = Math.round(((pa + pb) / 2) * 1000) / 1000;
  expect(threshold).toBeGreaterThanOrEqual(0.01);
  [critical, normal] = pa > pb ? [a, b] : [b, a];
  [criticalFile, normalFile] = pa > pb ? [files[0].name, files[1].name] : [files[1].name, files[0].name];

  // A site that triages on pneumothorax only: every other finding is switched off (threshold 1).
  releaseThresholds = await lockSiteThresholds();
  labels = await triageLabels(adminCtx.request);
  const settings = Object.fromEntries(labels.map((l) => [l, l === "Pneumothorax" ? threshold : 1]));
  const saved = await setThresholds(adminCtx.request, settings);
  expect(saved.labels.find((l) => l.label === "Pneumothorax")?.threshold).toBe(threshold);
});

test.afterAll(async () => {
  try {
    // Back to the model's operating points, so other specs see the default rules.
    if (labels?.length) await setThresholds(adminCtx.request, Object.fromEntries(labels.map((l) => [l, null])));
  } finally {
    // Released even when resetting failed: a lock left held would stall every other spec that needs it.
    releaseThresholds?.();
    await adminCtx?.close();
    await readerCtx?.close();
  }
});

test("the worklist shows the critical study above the normal one", async () => {
  const worklist = new WorklistPage(page);
  await worklist.goto();
  await worklist.search(tag);
  await worklist.expectIds([critical, normal]);
  expect(await worklist.rowLevels()).toEqual(["critical", "normal"]);
  const first = worklist.rows.first();
  await expect(first.getByTestId("triage-badge")).toHaveText(/critical/i);
  await expect(first).toContainText("Pneumothorax");
});

test("filters and search narrow the worklist, and a new upload appears without a reload", async () => {
  const worklist = new WorklistPage(page);
  await worklist.goto();
  await worklist.search(tag);
  await worklist.expectIds([critical, normal]);

  await worklist.filter("triage", "critical");
  await worklist.expectIds([critical]);
  await worklist.filter("triage", "normal");
  await worklist.expectIds([normal]);
  await worklist.filter("triage", "");

  await worklist.filter("finding", "Pneumothorax");
  await worklist.expectIds([critical]);
  await worklist.filter("finding", "");

  await worklist.filter("status", "signed_off");
  await expect(worklist.empty).toBeVisible();
  await worklist.filter("status", "unreviewed");
  await worklist.expectIds([critical, normal]);
  await worklist.filter("status", "");

  await worklist.filter("uploader", reader.id);
  await worklist.expectIds([critical, normal]);
  const { today, tomorrow } = localDays();
  await worklist.dates(tomorrow, tomorrow);
  await expect(worklist.empty).toBeVisible();
  await worklist.dates(today, today);
  await worklist.expectIds([critical, normal]);

  // Search by file name alone.
  await worklist.clear();
  await worklist.search(normalFile);
  await worklist.expectIds([normal]);

  // Live: a study uploaded elsewhere shows up in the open list.
  await worklist.search(tag);
  await worklist.expectIds([critical, normal]);
  const third = await uploadStudy(page.request, files[2]);
  await expect.poll(() => worklist.rowIds(), { timeout: 20_000 }).toContain(third);
  const ids = await worklist.rowIds();
  expect(ids).toHaveLength(3);
  expect(ids.indexOf(critical)).toBeLessThan(ids.indexOf(normal));
});

test("the viewer changes window/level, zooms, and overlays a heatmap with adjustable opacity", async () => {
  const worklist = new WorklistPage(page);
  await worklist.goto();
  await worklist.search(criticalFile);
  await worklist.expectIds([critical]);
  await worklist.open(critical);

  const viewer = new Viewer(page);
  await viewer.ready();
  // The page opens on the plain film (read unbiased first); the top finding's heatmap is one click away.
  await expect(viewer.root).toHaveAttribute("data-overlay", "off");
  await viewer.toggleHeatmap();
  await expect(viewer.root).toHaveAttribute("data-overlay", "heatmap");
  await viewer.toggleHeatmap();
  await expect(viewer.root).toHaveAttribute("data-overlay", "off");
  await expect.poll(async () => (await viewer.sample()).colour).toBeLessThan(1);

  const wl0 = await viewer.wl();
  const px0 = await viewer.sample();
  await viewer.dragWindow(-120, 60);
  await expect.poll(async () => (await viewer.wl()).width).toBeLessThan(wl0.width);
  expect((await viewer.wl()).center).toBeGreaterThan(wl0.center);
  await expect.poll(async () => (await viewer.sample()).grey).not.toEqual(px0.grey);
  // Reset returns to the film's own window (keys act while the viewer has focus).
  await viewer.focus();
  await page.keyboard.press("r");
  await expect.poll(() => viewer.wl()).toEqual(wl0);

  const scale0 = await viewer.scale();
  await viewer.wheelZoomIn();
  await expect.poll(() => viewer.scale()).toBeGreaterThan(scale0 * 1.2);
  await expect(viewer.zoomReadout).not.toContainText("(fit)");
  // 1:1 is one film pixel per device pixel (the browser here has a device pixel ratio of 1).
  await viewer.root.getByTestId("tool-actual").click();
  await expect.poll(() => viewer.scale()).toBeCloseTo(1, 5);
  await viewer.root.getByTestId("tool-fit").click();
  await expect.poll(() => viewer.scale()).toBeCloseTo(scale0, 5);

  // Side by side: the plain film beside the overlay pane, both drawn.
  await viewer.focus();
  await page.keyboard.press("s");
  await expect(viewer.root).toHaveAttribute("data-side-by-side", "true");
  await expect(page.getByTestId("viewer-pane-plain")).toBeVisible();
  await page.keyboard.press("s");
  await expect(page.getByTestId("viewer-pane-plain")).toHaveCount(0);

  await viewer.showHeatmap("Pneumothorax");
  await expect(viewer.legend).toBeVisible();
  await expect(viewer.legend).toContainText("Pneumothorax");
  await expect.poll(async () => (await viewer.sample()).colour).toBeGreaterThan(2);
  const at60 = (await viewer.sample()).colour;

  await viewer.opacityTo("End");
  await expect(viewer.root.getByTestId("heatmap-opacity-value")).toHaveText("100%");
  await expect.poll(async () => (await viewer.sample()).colour).toBeGreaterThan(at60);
  await viewer.opacityTo("Home");
  await expect(viewer.root.getByTestId("heatmap-opacity-value")).toHaveText("0%");
  await expect.poll(async () => (await viewer.sample()).colour).toBeLessThan(1);

  await viewer.toggleHeatmap();
  await expect(viewer.root).toHaveAttribute("data-overlay", "off");
  await expect(viewer.legend).toHaveCount(0);
});

test("a review with one disagreement is signed off", async () => {
  await page.goto(`/analyses/${critical}`);
  const review = new ReviewPanel(page);
  await expect(review.root).toBeVisible();
  const findings = await review.findings();
  // Disagree with the AI's top positive call (the list is sorted by score), else with its top negative.
  disputed = findings.find((f) => f.positive) ?? findings[0];
  await review.decide(disputed.label, "disagree");
  await review.agreeRemaining();
  await expect(review.root).toContainText(`${findings.length}/${findings.length} decided · 1 disagreement`);
  await review.impression(`E2E ${tag}: no ${disputed.label.replaceAll("_", " ").toLowerCase()}.`);
  await review.signOff();
  expect(await review.status()).toBe("signed_off");
  await expect(page.getByTestId("signed-off-banner")).toContainText(reader.name);
  const report = page.getByTestId("report-draft");
  await expect(report).toContainText(
    disputed.positive ? `${disputed.label.replaceAll("_", " ")}: not confirmed` : `${disputed.label.replaceAll("_", " ")}: present`,
  );
  await expect(report).toContainText(`Signed off by ${reader.name}`);
});

test("the signed-off study cannot be edited without an amendment", async () => {
  await page.goto(`/analyses/${critical}`);
  const review = new ReviewPanel(page);
  // While the page settles the panel can briefly render twice; every copy must be locked.
  const agree = review.decision(disputed.label, "agree");
  await expect(agree.first()).toBeDisabled();
  for (const button of await agree.all()) await expect(button).toBeDisabled();
  await expect(review.root.getByTestId("impression").first()).toHaveAttribute("readonly", "");
  await expect(review.root.getByTestId("sign-off")).toHaveCount(0);

  // Nor behind the page's back: the API refuses a draft edit of a signed review.
  const edit = await page.request.put(`/api/analyses/${critical}/review`, { headers: fromAppPage(), data: { decisions: {}, impression: "changed" } });
  expect(edit.status()).toBe(409);
  expect((await edit.json()).code).toBe("review_locked");

  await review.amend("Impression wording corrected", `E2E ${tag}: amended impression.`);
  await expect(review.root.getByTestId("review-version-2")).toContainText("Amended by");
  await expect(review.root.getByTestId("review-version-2")).toContainText("Impression wording corrected");
  await expect(review.root.getByTestId("review-version-1")).toContainText("Signed off by");
  await expect(page.getByTestId("report-draft")).toContainText("amended: Impression wording corrected");
  await expect(review.decision(disputed.label, "disagree")).toBeDisabled();
});

test("the statistics show the agreement computed from that review", async () => {
  const stats = new StatsPage(page);
  // Only this spec's radiologist's studies: one signed-off review, so every count is known by hand.
  await stats.goto(reader.id);
  const row = await stats.agreement(disputed.label);
  if (disputed.positive) {
    // AI positive, radiologist disagrees: one false positive; specificity 0/1, sensitivity undefined.
    expect(row).toEqual({ tp: 0, fp: 1, fn: 0, tn: 0, sensitivity: "—", specificity: "0%" });
  } else {
    expect(row).toEqual({ tp: 0, fp: 0, fn: 1, tn: 0, sensitivity: "0%", specificity: "—" });
  }
  // Every other finding of that study was agreed with: a true positive or a true negative each.
  const review = await page.request.get(`/api/analyses/${critical}`);
  const findings = ((await review.json()) as { findings: { label: string; positive: boolean }[] }).findings;
  for (const f of findings.filter((x) => x.label !== disputed.label).slice(0, 4)) {
    expect(await stats.agreement(f.label)).toEqual(
      f.positive ? { tp: 1, fp: 0, fn: 0, tn: 0, sensitivity: "100%", specificity: "—" } : { tp: 0, fp: 0, fn: 0, tn: 1, sensitivity: "—", specificity: "100%" },
    );
  }
  await expect(page.getByTestId("chart-agreement")).toContainText("1 reviewed study");
  // The CSV behind the chart says the same.
  const csv = await page.request.get(`/api/stats/agreement?uploader=${reader.id}`);
  const line = (await csv.text()).split("\r\n").find((l) => l.startsWith(`${disputed.label},`));
  expect(line?.split(",").slice(1, 6)).toEqual(disputed.positive ? ["0", "1", "0", "0", "1"] : ["0", "0", "1", "0", "1"]);
});
