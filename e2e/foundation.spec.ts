// The first thing a radiologist does: sign in, drop a PNG and a DICOM (and a broken file that
// must not stop the others), read each result with its 18 findings, heatmap and the untrained-model
// banner, find both in the history, sign out. A patient's account cannot open a result page.
import crypto from "node:crypto";
import { expect, test, type Page } from "@playwright/test";
import { AppShell } from "./pages/app-shell";
import { HistoryPage } from "./pages/history-page";
import { ResultPage } from "./pages/result-page";
import { SignInPage } from "./pages/sign-in-page";
import { UploadPage } from "./pages/upload-page";
import { signIn, signOut } from "./support/auth";
import { corruptPng, pngAndDicom } from "./support/studies";
import { seededUsers } from "./support/users";

test.describe.configure({ mode: "serial" });

const tag = `e2e-fnd-${crypto.randomBytes(3).toString("hex")}`;
const ids: Record<string, string> = {};
let page: Page;

test.beforeAll(async ({ browser }) => {
  page = await browser.newPage();
});
test.afterAll(async () => {
  await page.close();
});

test("a radiologist signs in and sees the untrained-model banner in the shell", async () => {
  await signIn(page, seededUsers().radiologist);
  const shell = new AppShell(page);
  await expect(shell.currentUser).toContainText("radiologist");
  await expect(shell.untrainedBanner).toBeVisible();
  await expect(shell.untrainedBanner).toContainText("UNTRAINED");
  await expect(shell.nav("admin")).toHaveCount(0);
  await expect(shell.nav("history")).toBeVisible();
});

test("uploads a PNG and a DICOM; a broken file fails with a plain message without stopping them", async () => {
  const { png, dicom, source } = await pngAndDicom(tag);
  test.info().annotations.push({ type: "studies", description: source === "fixtures" ? "shared fixture radiographs" : "generated PNG and DICOM (fixtures absent)" });
  const broken = corruptPng(tag);
  const upload = new UploadPage(page);
  await upload.goto();
  await upload.upload([broken, png, dicom]);

  expect(await upload.settled(broken.name)).toBe("failed");
  await expect(upload.error(broken.name)).toContainText(/could not be decoded|damaged/i);
  for (const f of [png, dicom]) {
    expect(await upload.settled(f.name), `${f.name} should be analysed`).toBe("done");
    ids[f.name] = await upload.analysisId(f.name);
  }
  expect(new Set(Object.values(ids)).size).toBe(2);
});

test("each result shows 18 sorted findings, the heatmap overlay, the untrained banner, model and timings", async () => {
  const result = new ResultPage(page);
  for (const [name, id] of Object.entries(ids)) {
    const response = await result.goto(id);
    expect(response?.status()).toBe(200);
    expect(page.url()).not.toContain(name); // only the UUID identifies the study in the URL
    await result.expectLoaded();
    await expect(result.title).toHaveText(name);

    await expect(result.findingRows).toHaveCount(18);
    const scores = await result.listedScores();
    expect(scores.every((s) => s >= 0 && s <= 1)).toBe(true);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));

    await expect(result.untrainedBanner).toBeVisible();
    await expect(result.untrainedBanner).toContainText("UNTRAINED MODEL");
    await expect(result.model).toContainText("untrained");
    await expect(result.timings).toContainText(/inference \d+ ms/);

    // The film opens plain; H (with the viewer focused) draws the top finding's heatmap over it: a grey
    // film has no colour at all.
    await expect(result.viewer.root).toHaveAttribute("data-overlay", "off");
    await result.viewer.focus();
    await page.keyboard.press("h");
    await expect(result.viewer.root).toHaveAttribute("data-overlay", /heatmap|both/);
    await expect(result.viewer.legend).toBeVisible();
    await expect.poll(async () => (await result.viewer.sample()).colour, { timeout: 20_000 }).toBeGreaterThan(5);
  }
});

test("both uploads are in the history, newest first, with thumbnail, top finding and status", async () => {
  const history = new HistoryPage(page);
  await history.goto();
  const names = Object.keys(ids);
  for (const name of names) {
    const item = history.item(name);
    await expect(item).toHaveCount(1);
    await expect(item.getByTestId("history-top-finding")).toContainText(/\d\.\d\d/);
    await expect(item.getByTestId("triage-badge")).toBeVisible();
    const thumb = item.locator("img");
    await expect.poll(() => thumb.evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
  }
  await history.item(names[0]).click();
  await expect(page).toHaveURL(new RegExp(`/analyses/${ids[names[0]]}$`));
});

test("signing out ends the session; signing in again returns to the page asked for", async () => {
  await signOut(page);
  await page.goto(`/analyses/${Object.values(ids)[0]}`);
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fanalyses%2F[0-9a-f-]+$/);
  const api = await page.request.get(`/api/analyses/${Object.values(ids)[0]}`);
  expect(api.status()).toBe(401);
  const { email, password } = seededUsers().radiologist;
  await new SignInPage(page).signIn(email, password);
  await expect(page).toHaveURL(new RegExp(`/analyses/${Object.values(ids)[0]}$`));
  await expect(page.getByTestId("analysis-page")).toBeVisible();
});

test("a patient cannot open a result page, its image or its API", async ({ browser }) => {
  const ctx = await browser.newContext();
  const patientPage = await ctx.newPage();
  await signIn(patientPage, seededUsers().patient);
  await expect(patientPage).toHaveURL(/\/my-reports/);
  const id = Object.values(ids)[0];
  const response = await patientPage.goto(`/analyses/${id}`);
  expect(response?.status()).toBe(403);
  await expect(patientPage.getByTestId("forbidden")).toBeVisible();
  await expect(patientPage.getByTestId("analysis-page")).toHaveCount(0);
  expect((await patientPage.request.get(`/api/analyses/${id}`)).status()).toBe(403);
  expect((await patientPage.request.get(`/api/analyses/${id}/image`)).status()).toBe(403);
  await ctx.close();
});

test("pages and API answers carry the security headers; patients' links send no referrer", async ({ request }) => {
  for (const path of ["/sign-in", "/api/health", "/share/not-a-real-token"]) {
    const res = await request.get(path);
    const h = res.headers();
    expect(h["x-frame-options"], path).toBe("DENY");
    expect(h["content-security-policy"], path).toContain("frame-ancestors 'none'");
    expect(h["x-content-type-options"], path).toBe("nosniff");
    expect(h["referrer-policy"], path).toBe(path.startsWith("/share/") ? "no-referrer" : "same-origin");
    expect(h["x-powered-by"], path).toBeUndefined();
  }
});
