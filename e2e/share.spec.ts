// Patient sharing end to end: a radiologist signs off and shares; the patient opens the link in
// a fresh browser without an account, reads the plain-language report with heatmaps, downloads the PDF;
// the radiologist revokes it and the link stops working. Expired links and wrong access codes too.
import fs from "node:fs";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { extractPdfText } from "../test/support/pdf-text";
import { ReviewPanel } from "./pages/review-panel";
import { signIn } from "./support/auth";
import { createRadiologist, expireShare, positiveFindings, type E2eUser } from "./support/share-support";
import { pngAndDicom, uploadStudy } from "./support/studies";
import { fromAppPage } from "./support/same-origin";

const IMPRESSION = "No acute cardiopulmonary abnormality. Findings discussed with the patient.";
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
const display = (label: string) => label.replaceAll("_", " ");

let reader: E2eUser;

test.beforeAll(async () => {
  reader = await createRadiologist("Dr E2E Share");
});

/** Upload, review with the workspace panel and sign off; returns the analysis id. */
async function signedOffAnalysis(page: Page): Promise<string> {
  await signIn(page, reader);
  const analysisId = await uploadStudy(page.request, (await pngAndDicom("share")).png);
  await page.goto(`/analyses/${analysisId}`);
  const review = new ReviewPanel(page);
  await review.agreeRemaining();
  await review.impression(IMPRESSION);
  await review.signOff();
  return analysisId;
}

async function createLink(page: Page, opts: { accessCode?: string } = {}): Promise<string> {
  const panel = page.getByTestId("share-panel");
  await expect(panel.getByTestId("share-form")).toBeVisible();
  if (opts.accessCode) await panel.getByTestId("share-code").fill(opts.accessCode);
  await panel.getByTestId("share-create").click();
  const url = await panel.getByTestId("share-url").inputValue();
  expect(url).toMatch(/\/share\/[A-Za-z0-9_-]{43}$/);
  return url;
}

async function freshPhone(browser: Browser) {
  const context = await browser.newContext({ ...PHONE, acceptDownloads: true });
  return { context, page: await context.newPage() };
}

test("share -> patient reads the report without an account -> PDF -> revoke -> the link is dead", async ({ page, browser }) => {
  const analysisId = await signedOffAnalysis(page);
  const url = await createLink(page);
  const token = new URL(url).pathname.split("/").pop()!;
  const positives = await positiveFindings(page, analysisId);

  const patient = await freshPhone(browser);
  const res = await patient.page.goto(url);
  expect(res?.status()).toBe(200);
  expect(res?.headers()["referrer-policy"]).toBe("no-referrer");
  expect(res?.headers()["x-robots-tag"]).toContain("noindex");
  await expect(patient.page.locator('meta[name="robots"]')).toHaveAttribute("content", /noindex/);

  // The radiologist's words come first, the AI's scores second.
  const impression = patient.page.getByTestId("radiologist-impression");
  await expect(impression).toContainText(IMPRESSION);
  await expect(impression).toContainText("Dr E2E Share");
  const order = await patient.page.evaluate(() => {
    const a = document.querySelector('[data-testid="radiologist-impression"]')!;
    const b = document.querySelector('[data-testid="ai-findings"]')!;
    return a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING;
  });
  expect(order).toBeTruthy();
  await expect(patient.page.getByTestId("untrained-notice")).toBeVisible();
  await expect(patient.page.getByTestId("glossary").locator("dt")).toHaveCount(18);

  // Exactly the model's positive findings are "likely", each with a heatmap that really loads.
  // (The demo model is untrained: which findings are positive is whatever it outputs, read from the export.)
  const likely = await patient.page.getByTestId("likely-finding").evaluateAll((els) => els.map((e) => e.getAttribute("data-label")!));
  expect(likely.map(display).sort()).toEqual([...positives].sort());
  test.info().annotations.push({ type: "positive findings", description: positives.join(", ") || "none" });
  for (const label of likely) {
    const img = patient.page.locator(`[data-testid="heatmap"][data-label="${label}"] img`);
    await img.scrollIntoViewIfNeeded();
    await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth > 0)).toBe(true);
  }
  await expect.poll(() => patient.page.locator('[data-testid="report-images"] img').first().evaluate((el: HTMLImageElement) => el.naturalWidth)).toBeGreaterThan(0);

  // Nothing else of the system is reachable: every link stays under this share's own path.
  const hrefs = await patient.page.locator("a[href]").evaluateAll((els) => els.map((e) => e.getAttribute("href")!));
  expect(hrefs.length).toBeGreaterThan(0);
  for (const href of hrefs) expect(href.startsWith(`/share/${token}/`), href).toBe(true);

  // The PDF: every positive finding and the impression are in its text.
  const [download] = await Promise.all([patient.page.waitForEvent("download"), patient.page.getByTestId("download-pdf").click()]);
  const text = (await extractPdfText(fs.readFileSync((await download.path())!))).replace(/\s+/g, " ");
  for (const p of positives) expect(text).toContain(p);
  expect(text).toContain(IMPRESSION);

  // Revoke from the analysis page: the link and everything behind it answer 404.
  page.once("dialog", (d) => d.accept());
  await page.getByTestId("share-panel").getByTestId("share-revoke").first().click();
  await expect(page.getByTestId("share-panel").getByTestId("share-row")).toHaveCount(0);
  expect((await patient.page.goto(url))?.status()).toBe(404);
  expect((await patient.page.request.get(`${url}/report.pdf`)).status()).toBe(404);
  await patient.context.close();
});

test("an expired link answers 410 with a calm explanation", { tag: "@postgres" }, async ({ page, browser }) => {
  await signedOffAnalysis(page);
  const url = await createLink(page);
  const shareId = await page.getByTestId("share-row").first().getAttribute("data-share-id");
  await expireShare(shareId!);

  const patient = await freshPhone(browser);
  const res = await patient.page.goto(url);
  expect(res?.status()).toBe(410);
  await expect(patient.page.getByRole("heading", { name: "This link has expired" })).toBeVisible();
  expect(patient.page.url()).not.toContain(new URL(url).pathname.split("/").pop()!);
  expect((await patient.page.request.get(`${url}/report.pdf`)).status()).toBe(410);
  await patient.context.close();
});

test("a wrong access code is refused, then rate-limited; the right one opens the report", async ({ page, browser }) => {
  await signedOffAnalysis(page);
  const code = "lantern-4417";
  const url = await createLink(page, { accessCode: code });

  // The patient, with the right code typed in capitals (read out over the phone, caps lock on): the
  // report opens and stays open in that browser.
  const patient = await freshPhone(browser);
  await patient.page.goto(url);
  await expect(patient.page.getByTestId("radiologist-impression")).toHaveCount(0);
  await patient.page.getByLabel("Access code").fill(code.toUpperCase());
  await patient.page.getByRole("button", { name: "Open my report" }).click();
  await expect(patient.page.getByTestId("radiologist-impression")).toContainText(IMPRESSION);

  // Someone else guessing: refused five times, then told to wait; even the right code is refused now.
  const guesser = await freshPhone(browser);
  await guesser.page.goto(url);
  const message = guesser.page.getByTestId("access-code-message");
  for (let i = 1; i <= 5; i++) {
    await guesser.page.getByLabel("Access code").fill(`guess-${i}0000`);
    await guesser.page.getByRole("button", { name: "Open my report" }).click();
    await expect(message).toContainText("That code is not right");
  }
  await guesser.page.getByLabel("Access code").fill(code);
  await guesser.page.getByRole("button", { name: "Open my report" }).click();
  await expect(message).toContainText("Too many wrong codes");
  await expect(guesser.page.getByTestId("radiologist-impression")).toHaveCount(0);
  const direct = await guesser.page.request.post(`${url}/access`, { headers: fromAppPage(), data: { code } });
  expect(direct.status()).toBe(429);
  expect(Number(direct.headers()["retry-after"])).toBeGreaterThan(60);
  expect((await guesser.page.request.get(`${url}/report.pdf`)).status()).toBe(403);

  await patient.page.reload();
  await expect(patient.page.getByTestId("radiologist-impression")).toContainText(IMPRESSION);
  await patient.context.close();
  await guesser.context.close();
});
