// Studies and priors, in Chromium against the built app and the real model: DICOM films written here
// for two made-up patients (names and IDs set). A PA and a lateral of one visit are one worklist row;
// a later PA of the same patient shows that visit as its prior, side by side with synced zoom and
// window/level and the change in scores; another patient's film has none; a cardiothoracic ratio is
// measured, signed off and printed in the PDF. Finally the database dump and the server log hold
// none of the patients' names or IDs.
import { expect, test } from "@playwright/test";
import { extractPdfText } from "../test/support/pdf-text";
import { signOff } from "./support/admin-support";
import { signIn } from "./support/auth";
import { film, leakedIdentifiers, makePatient, visitUid } from "./support/patients";
import { uploadStudy } from "./support/studies";
import { seededUsers } from "./support/users";
import { calibratedScores } from "./support/workspace-support";
import { ResultPage } from "./pages/result-page";
import { ReviewPanel } from "./pages/review-panel";
import { StudyPage } from "./pages/study-page";
import { WorklistPage } from "./pages/worklist-page";

test.describe.configure({ mode: "serial" });

const alice = makePatient("Alicewyn");
const bob = makePatient("Bobrik");
const tag = `st${Date.now().toString(36)}`;
const visit1 = visitUid();
const visit2 = visitUid();
const ids = {} as Record<"pa1" | "lat1" | "pa2" | "bob", string>;

test.beforeEach(async ({ page }) => {
  await signIn(page, seededUsers().radiologist);
});

test("a PA and a lateral of one visit are one worklist row; the lateral is shown, not scored", async ({ page }) => {
  ids.pa1 = await uploadStudy(page.request, film(`${tag}-v1-pa.dcm`, alice, { studyInstanceUid: visit1, studyDate: "20260105", viewPosition: "PA", imagerPixelSpacing: 0.5, seed: 3 }));
  ids.lat1 = await uploadStudy(page.request, film(`${tag}-v1-lat.dcm`, alice, { studyInstanceUid: visit1, studyDate: "20260105", viewPosition: "LL", imagerPixelSpacing: 0.5, seed: 4 }));

  const worklist = new WorklistPage(page);
  await worklist.goto();
  await worklist.search(`${tag}-v1`);
  await worklist.expectIds([ids.pa1]);
  const row = worklist.rows.first();
  await expect(row).toHaveAttribute("data-images", "2");
  await expect(row).toHaveAttribute("data-views", "PA,LL");
  await expect(row).not.toHaveAttribute("data-level", "not_assessable");
  await worklist.open(ids.pa1);

  const study = new StudyPage(page);
  await expect(study.header).toHaveAttribute("data-images", "2");
  await expect(study.thumbs).toHaveCount(2);
  await expect(study.thumbs.nth(1)).toHaveAttribute("data-frontal", "false");
  await expect(study.thumbs.nth(1).getByTestId("thumb-not-assessable")).toBeVisible();
  await study.thumbs.nth(1).click();
  await expect(page).toHaveURL(new RegExp(`/analyses/${ids.lat1}$`));
  await expect(page.getByTestId("lateral-notice")).toBeVisible();
  await expect(page.getByTestId("findings-not-assessable")).toBeVisible();
  await expect(page.getByTestId("findings-list")).toHaveCount(0);
  await new ResultPage(page).viewer.ready();

  // The first visit is read and signed off, so it has an impression to show as a prior.
  await signOff(page.request, ids.pa1);
});

test("a later PA of the same patient shows that visit as its prior, side by side, synced, with score changes", async ({ page }) => {
  ids.pa2 = await uploadStudy(page.request, film(`${tag}-v2-pa.dcm`, alice, { studyInstanceUid: visit2, studyDate: "20260301", viewPosition: "PA", imagerPixelSpacing: 0.5, seed: 9 }));
  const result = new ResultPage(page);
  await result.goto(ids.pa2);
  await result.expectLoaded();
  const study = new StudyPage(page);
  await expect(study.priorRows).toHaveCount(1);
  await expect(study.priorRows.first().getByTestId("prior-date")).toHaveText("2026-01-05");
  await expect(study.priorRows.first().getByTestId("prior-impression")).toHaveText("E2E sign-off.");

  // "." (with the viewer focused) steps to the prior: it appears beside the current film.
  await result.viewer.focus();
  await page.keyboard.press(".");
  await expect(result.viewer.root).toHaveAttribute("data-side-by-side", "true");
  await study.priorReady();

  // Zoom and window/level on the current film move the prior with it (same patient, same kind of film).
  await page.keyboard.press("+");
  await expect.poll(() => result.viewer.scale()).toBeGreaterThan(0);
  await expect(study.priorZoom).toHaveAttribute("data-scale", String(await result.viewer.scale()));
  // Each film keeps its own default window; a drag moves both by the same share of their width.
  const [main0, prior0] = [await result.viewer.wl(), await study.priorWindow()];
  await result.viewer.dragWindow(120, 60);
  await expect.poll(async () => (await study.priorWindow()).width).not.toBe(prior0.width);
  const [main1, prior1] = [await result.viewer.wl(), await study.priorWindow()];
  expect(main1.width).not.toBe(main0.width);
  expect(prior1.width / prior0.width).toBeCloseTo(main1.width / main0.width, 3);
  expect((prior1.center - prior0.center) / prior0.width).toBeCloseTo((main1.center - main0.center) / main0.width, 3);

  // Per finding, the prior's calibrated score and today's, as the API reports them.
  const [now, then] = [await calibratedScores(page.request, ids.pa2), await calibratedScores(page.request, ids.pa1)];
  await expect(study.scoreChanges).toHaveCount(Object.keys(now).length);
  const effusion = study.scoreChanges.and(page.locator('[data-label="Effusion"]'));
  await expect(effusion).toContainText(`${then.Effusion.toFixed(2)} → ${now.Effusion.toFixed(2)}`);
  await expect(page.getByTestId("findings-list").getByTestId("finding-change").first()).toContainText("→");

  // "," steps back to no comparison.
  await result.viewer.focus();
  await page.keyboard.press(",");
  await expect(study.priorPane).toHaveCount(0);
});

test("another patient's film has no prior", async ({ page }) => {
  ids.bob = await uploadStudy(page.request, film(`${tag}-bob-pa.dcm`, bob, { studyInstanceUid: visitUid(), studyDate: "20260302", viewPosition: "PA" }));
  await page.goto(`/analyses/${ids.bob}`);
  await expect(page.getByTestId("priors-none")).toBeVisible();
  await expect(page.getByTestId("prior-row")).toHaveCount(0);
  await expect(page.getByTestId("study-header")).toContainText("uncalibrated");
});

test("a cardiothoracic ratio is measured, saved with the sign-off and printed in the PDF", async ({ page }) => {
  const result = new ResultPage(page);
  await result.goto(ids.pa2);
  await result.expectLoaded();
  const study = new StudyPage(page);
  await result.viewer.root.getByTestId("tool-ctr").click();
  await study.drawLine(0.4, 0.6, 0.6); // cardiac width
  await study.drawLine(0.25, 0.75, 0.65); // thoracic width
  await expect(study.measurements).toHaveCount(1);
  await expect(study.measurements.first()).toHaveText(/^Cardiothoracic ratio 0\.\d\d \(cardiac \d+\.\d mm, thoracic \d+\.\d mm\)/);
  const shown = (await study.measurements.first().textContent())!.replace(/Remove$/, "").trim();
  expect(Number(/ratio (\d\.\d\d)/.exec(shown)![1])).toBeCloseTo(0.4, 1);

  const review = new ReviewPanel(page);
  await review.agreeRemaining();
  await review.impression("Heart size measured.");
  await review.signOff();
  await expect(page.getByTestId("report-draft")).toContainText("MEASUREMENTS");
  await expect(page.getByTestId("report-draft")).toContainText(`- ${shown}.`);

  // Saved with the review: a reload shows it, and the PDF prints it.
  await page.reload();
  await expect(study.measurements.first()).toHaveText(shown);
  const pdf = await page.request.get(`/api/analyses/${ids.pa2}/report.pdf`);
  expect(pdf.status()).toBe(200);
  expect(await extractPdfText(await pdf.body())).toContain(shown);
});

test("the database and the server log hold none of the patients' names or IDs", async () => {
  expect(await leakedIdentifiers([alice, bob])).toEqual([]);
});
