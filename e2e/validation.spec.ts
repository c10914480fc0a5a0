// Local validation end to end: a set from signed-off reviews and a set from images uploaded with a
// labels CSV (analysed by the real pipeline with the untrained demo model), their ROC and calibration
// charts, the set's films kept out of the worklist, a labels file refused before any film is sent, then
// the threshold for 90% sensitivity applied to the site's triage, seen on the worklist's clinical films.
import crypto from "node:crypto";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { ValidationPage } from "./pages/validation-page";
import { WorklistPage } from "./pages/worklist-page";
import { signIn } from "./support/auth";
import { lockSiteThresholds } from "./support/site-thresholds-lock";
import { separateStudyFiles, uploadStudy, type StudyUpload } from "./support/studies";
import { createUsers } from "./support/users";
import { calibratedScores, setThresholds } from "./support/workspace-support";
import { fromAppPage } from "./support/same-origin";

test.describe.configure({ mode: "serial" });

const tag = `e2e-val-${crypto.randomBytes(3).toString("hex")}`;
const LABEL = "Pneumothorax";
const utcToday = () => new Date().toISOString().slice(0, 10);
let page: Page;
let files: StudyUpload[];
/** Calibrated Pneumothorax score per file name (the same bytes score the same in every upload). */
const score = new Map<string, number>();
let releaseThresholds: (() => void) | undefined;
/** The page of the set made from uploads (the threshold is applied from it). */
let uploadSetUrl = "";

/** Signs off with decisions that make the ground truth of LABEL the one given (1 present, 0 absent). */
async function signOffWithTruth(request: APIRequestContext, id: string, present: boolean): Promise<void> {
  const detail = await request.get(`/api/analyses/${id}`);
  expect(detail.status()).toBe(200);
  const { findings } = (await detail.json()) as { findings: { label: string; positive: boolean }[] };
  const decisions = Object.fromEntries(findings.map((f) => [f.label, f.label === LABEL && f.positive !== present ? "disagree" : "agree"]));
  const res = await request.post(`/api/analyses/${id}/review/sign-off`, { headers: fromAppPage(), data: { decisions, addedFindings: [], impression: "Validation e2e." } });
  expect(res.status(), await res.text()).toBe(200);
}

test.beforeAll(async ({ browser }) => {
  const [admin] = await createUsers([["admin", `Admin ${tag}`]]);
  page = await (await browser.newContext()).newPage();
  await signIn(page, admin);
  files = await separateStudyFiles(tag);
});

test.afterAll(async () => {
  try {
    if (releaseThresholds) await setThresholds(page.request, { [LABEL]: null });
  } finally {
    // Released even when resetting failed: a lock left held would stall every other spec that needs it.
    releaseThresholds?.();
    await page?.context().close();
  }
});

test("a validation set from the signed-off reviews of today shows ROC and calibration charts", async () => {
  const ids: string[] = [];
  for (const f of files) {
    const id = await uploadStudy(page.request, f);
    score.set(f.name, (await calibratedScores(page.request, id))[LABEL]);
    ids.push(id);
  }
  // Present on the two highest-scoring films, absent on the third: both classes, so a ROC curve exists.
  const ranked = [...files].sort((a, b) => score.get(b.name)! - score.get(a.name)!);
  for (const [i, id] of ids.entries()) await signOffWithTruth(page.request, id, ranked.indexOf(files[i]) < 2);

  const validation = new ValidationPage(page);
  await validation.goto();
  await validation.createFromReviews(`Reviews ${tag}`, utcToday(), utcToday());
  await validation.expectCompleted();
  await expect(page.getByTestId("untrained-validation-banner")).toContainText("AUCs near 0.5 are expected");
  await validation.selectFinding(LABEL);
  await expect(validation.roc.getByRole("application")).toBeVisible();
  await expect(validation.calibration.getByRole("application")).toBeVisible();
  await expect(page.getByTestId(`auc-${LABEL}`)).toHaveText(/^\d\.\d{3}/);
});

test("a validation set from images uploaded with a labels CSV waits for the analyses, then charts them", async () => {
  // New names for the same films; the lowest-scoring film is the negative, one Effusion label unknown.
  const upload = files.map((f) => ({ ...f, name: `up-${f.name}` }));
  const ranked = [...files].sort((a, b) => score.get(b.name)! - score.get(a.name)!);
  const csv = ["file,Pneumothorax,Effusion", ...files.map((f, i) => `up-${f.name},${ranked.indexOf(f) < 2 ? 1 : 0},${i === 0 ? "" : i % 2}`)].join("\n");
  const validation = new ValidationPage(page);
  await validation.goto();
  await validation.createFromUpload(`Upload ${tag}`, upload, csv);
  await validation.expectCompleted();
  uploadSetUrl = page.url();
  await expect(page.getByTestId("untrained-validation-banner")).toBeVisible();
  await expect(page.getByTestId(`validation-row-Effusion`)).toContainText("2");
  await validation.selectFinding(LABEL);
  await expect(page.getByTestId("finding-detail")).toContainText(`n = ${files.length}, 2 positive`);
  await expect(validation.roc.locator(".recharts-line-curve").first()).toBeVisible();
  await expect(validation.calibration.getByRole("application")).toBeVisible();
  // Exports: the summary CSV has the finding's row, the PDF is a PDF.
  const csvRes = await page.request.get(`${new URL(page.url()).pathname.replace("/validation/", "/api/validation/sets/")}/csv`);
  expect(await csvRes.text()).toMatch(/\r\nUpload e2e-val-[0-9a-f]+,densenet121-res224-all[^,]*,[^,]*,false,[^,]+,Pneumothorax,3,2,/);
  const pdf = await page.request.get(`${new URL(page.url()).pathname.replace("/validation/", "/api/validation/sets/")}/pdf`);
  expect((await pdf.body()).subarray(0, 5).toString()).toBe("%PDF-");
});

test("a validation set's films never appear in the worklist", async () => {
  const worklist = new WorklistPage(page);
  await worklist.goto();
  // The set's copies of the films are not clinical work: none of them is listed...
  await worklist.search(`up-${tag}`);
  await expect(worklist.empty).toBeVisible();
  await expect(worklist.rows).toHaveCount(0);
  // ...while the clinical uploads of the same films are, once each.
  await worklist.search(tag);
  await expect(worklist.rows).toHaveCount(files.length);
  const names = await worklist.rows.evaluateAll((els) => els.map((e) => e.querySelector("td[title]")?.getAttribute("title") ?? ""));
  expect(names.sort()).toEqual(files.map((f) => f.name).sort());
});

test("a labels CSV refused for a bad value is refused before any film is sent", async () => {
  const uploads: string[] = [];
  const onRequest = (r: { url(): string; method(): string }) => {
    if (r.method() === "POST" && new URL(r.url()).pathname === "/api/analyses") uploads.push(r.url());
  };
  page.on("request", onRequest);
  try {
    const validation = new ValidationPage(page);
    await validation.goto();
    const bad = files.map((f) => ({ ...f, name: `bad-${f.name}` }));
    await validation.createFromUpload(`Bad ${tag}`, bad, ["file,Pneumothorax", ...bad.map((f, i) => `${f.name},${i === 1 ? "maybe" : 1}`)].join("\n"));
    await expect(page.getByTestId("create-error")).toContainText('"maybe" is not a label');
    await expect(page).toHaveURL(/\/validation$/);
  } finally {
    page.off("request", onRequest);
  }
  expect(uploads).toEqual([]);
});

test("applying the threshold for 90% sensitivity changes the worklist triage of the films it reaches", async () => {
  test.setTimeout(300_000);
  // Another spec may be holding the site thresholds; wait for it, then hold them until afterAll.
  releaseThresholds = await lockSiteThresholds();
  // The set's films are the clinical films' copies (same bytes, same scores): the change shows on the clinical ones.
  const before = await triageByFile(page, tag);
  const validation = new ValidationPage(page);
  await page.goto(uploadSetUrl);
  await validation.expectCompleted();
  await validation.selectFinding(LABEL);
  const threshold = await validation.pickSensitivity(90);
  // 90% of 2 positives needs both: the lower positive score, rounded down to four decimals.
  const ranked = [...files].map((f) => score.get(f.name)!).sort((a, b) => b - a);
  expect(threshold).toBe(Math.max(0.01, Math.floor(ranked[1] * 1e4 + 1e-9) / 1e4));
  const reached = files.filter((f) => score.get(f.name)! >= threshold);
  // Pneumothorax is the critical finding: below the default 0.5 no film of this set was critical.
  const newlyCritical = reached.filter((f) => score.get(f.name)! < 0.5);
  expect(newlyCritical.length, "the films must score Pneumothorax below 0.5 for the change to show").toBeGreaterThan(0);

  for (const f of newlyCritical) expect(before[f.name], f.name).not.toBe("critical");

  await validation.applyThreshold();
  await expect(page.getByTestId("threshold-applied")).toContainText(`→ ${threshold.toFixed(4)}`);

  const after = await triageByFile(page, tag);
  for (const f of files) {
    if (score.get(f.name)! >= threshold) expect(after[f.name], f.name).toBe("critical");
    else expect(after[f.name], f.name).not.toBe("critical");
  }
});

/** Triage level per file name on the worklist, for the studies whose name contains `search`. */
async function triageByFile(page: Page, search: string): Promise<Record<string, string>> {
  const back = page.url();
  const worklist = new WorklistPage(page);
  await worklist.goto();
  await worklist.search(search);
  await expect(worklist.rows).toHaveCount(files.length);
  const result = await worklist.rows.evaluateAll((els) =>
    // The file name cell is the row's cell titled with the name.
    Object.fromEntries(els.map((e) => [e.querySelector("td[title]")?.getAttribute("title") ?? "", e.getAttribute("data-level") ?? ""])),
  );
  await page.goto(back);
  return result;
}
