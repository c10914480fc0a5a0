// The reading room as a radiologist works in it: the plain film fills most of the window on open (the
// heatmap one key away), the worklist keeps its sort and filters across open → back and a reload, next and
// previous walk the worklist's order, a typed impression survives a reload, leaving with unsaved work
// asks first, the keyboard reaches Sign off quickly and the viewer's keys act only while it has focus.
import crypto from "node:crypto";
import { expect, test, type Page } from "@playwright/test";
import { ResultPage } from "./pages/result-page";
import { ReviewPanel } from "./pages/review-panel";
import { WorklistPage } from "./pages/worklist-page";
import { signIn } from "./support/auth";
import { separateStudyFiles, uploadStudy } from "./support/studies";
import { createUsers, type SeededUser } from "./support/users";

const tag = `e2e-read-${crypto.randomBytes(3).toString("hex")}`;
let reader: SeededUser;
let colleague: SeededUser;
let page: Page;
let ids: string[];

test.beforeAll(async ({ browser }) => {
  [reader, colleague] = await createUsers([
    ["radiologist", `Dr Reading ${tag}`],
    ["radiologist", `Dr Colleague ${tag}`],
  ]);
  page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
  await signIn(page, reader);
  ids = [];
  for (const f of await separateStudyFiles(tag)) ids.push(await uploadStudy(page.request, f));
});

test.afterAll(async () => {
  await page?.context().close();
});

test("the film opens plain and takes at least 60% of a 1440×900 window; the heatmap is one key away", async () => {
  const result = new ResultPage(page);
  await result.goto(ids[0]);
  await result.expectLoaded();
  await expect(result.viewer.root).toHaveAttribute("data-overlay", "off");
  await expect.poll(async () => (await result.viewer.sample()).colour).toBeLessThan(1);
  // One notice that the model is untrained, not two banners.
  await expect(result.untrainedBanner).toBeVisible();
  await expect(page.getByTestId("untrained-banner")).toBeHidden();

  const share = await result.viewer.visibleShareOfWindow();
  test.info().annotations.push({ type: "image area at 1440×900", description: `${(share * 100).toFixed(1)}% of the window` });
  console.log(`READING_ROOM image area at 1440×900: ${(share * 100).toFixed(1)}% of the window`);
  expect(share).toBeGreaterThanOrEqual(0.6);

  // Hiding the side panel gives the film the whole width.
  await page.getByTestId("toggle-side-panel").click();
  await expect(page.getByTestId("review-panel")).toBeHidden();
  expect(await result.viewer.visibleShareOfWindow()).toBeGreaterThan(share);
  await page.getByTestId("toggle-side-panel").click();
  await expect(page.getByTestId("review-panel")).toBeVisible();

  await result.viewer.focus();
  await page.keyboard.press("h");
  await expect(result.viewer.root).toHaveAttribute("data-overlay", "heatmap");
  await expect.poll(async () => (await result.viewer.sample()).colour).toBeGreaterThan(2);
});

test("viewer shortcuts act only while the viewer has focus, and can be turned off", async () => {
  const result = new ResultPage(page);
  await result.goto(ids[0]);
  await result.expectLoaded();
  const viewer = result.viewer;
  // Focus on the page, not in the viewer: letters and arrows do nothing to the film.
  await page.getByTestId("analysis-title").click();
  const scale = await viewer.scale();
  for (const key of ["h", "i", "s", "+", "ArrowLeft"]) await page.keyboard.press(key);
  await expect(viewer.root).toHaveAttribute("data-overlay", "off");
  await expect(viewer.root).toHaveAttribute("data-side-by-side", "false");
  await expect(viewer.wlReadout).not.toContainText("INV");
  expect(await viewer.scale()).toBe(scale);

  // In the viewer they work.
  await viewer.focus();
  await page.keyboard.press("i");
  await expect(viewer.wlReadout).toContainText("INV");
  await page.keyboard.press("i");

  // The shortcut sheet is a modal dialog: focus moves into it and Escape returns it to the viewer.
  await page.keyboard.press("?");
  const sheet = page.getByRole("dialog", { name: "Keyboard shortcuts" });
  await expect(sheet).toBeVisible();
  await expect(sheet).toHaveAttribute("aria-modal", "true");
  await expect.poll(() => sheet.evaluate((el) => el.contains(document.activeElement))).toBe(true);
  // Turning single-key shortcuts off: "i" then does nothing, even in the viewer.
  await sheet.getByTestId("setting-single-key").uncheck();
  await page.keyboard.press("Escape");
  await expect(sheet).toHaveCount(0);
  await expect.poll(() => viewer.root.evaluate((el) => el.contains(document.activeElement))).toBe(true);
  await page.keyboard.press("i");
  await expect(viewer.wlReadout).not.toContainText("INV");
  await viewer.root.getByTestId("toggle-help").click();
  await page.getByRole("dialog", { name: "Keyboard shortcuts" }).getByTestId("setting-single-key").check();
  await page.keyboard.press("Escape");
});

test("from the skip link, Tab reaches Sign off in at most 12 stops", async () => {
  const result = new ResultPage(page);
  await result.goto(ids[1]);
  await result.expectLoaded();
  await page.locator("body").focus();
  await page.keyboard.press("Tab");
  const skip = page.getByTestId("skip-link");
  await expect(skip).toBeFocused();
  await page.keyboard.press("Enter");
  let stops = 0;
  while (stops < 40) {
    await page.keyboard.press("Tab");
    stops++;
    if (await page.getByTestId("sign-off").evaluate((el) => el === document.activeElement)) break;
  }
  test.info().annotations.push({ type: "Tab stops to Sign off", description: String(stops) });
  console.log(`READING_ROOM Tab stops from the skip link to Sign off: ${stops}`);
  expect(stops).toBeLessThanOrEqual(12);

  // Finding rows are one Tab stop: the arrow keys move between them (down: the next row, same column).
  const rows = page.getByTestId("review-findings");
  const focusedRow = () => page.evaluate(() => document.activeElement?.closest("[data-roving-row]")?.getAttribute("data-testid") ?? null);
  const rowIds = await rows.locator("[data-roving-row]").evaluateAll((els) => els.map((e) => e.getAttribute("data-testid")));
  await rows.getByRole("button").first().focus();
  expect(await focusedRow()).toBe(rowIds[0]);
  await page.keyboard.press("ArrowDown");
  expect(await focusedRow()).toBe(rowIds[1]);
  expect(await rows.locator('button[tabindex="0"]').count()).toBe(1);
});

test("sort and filters live in the URL: they survive open → back and a reload; next and previous walk that order", async () => {
  const worklist = new WorklistPage(page);
  await worklist.goto();
  await worklist.filter("status", "unreviewed");
  await page.getByTestId("sort-received").click();
  await expect(page).toHaveURL(/status=unreviewed/);
  await expect(page).toHaveURL(/sort=received/);
  await page.getByTestId("sort-received").click();
  await expect(page).toHaveURL(/dir=asc/);
  await worklist.search(tag);
  await expect.poll(async () => (await worklist.rowIds()).length).toBe(3);
  const order = await worklist.rowIds();
  // Oldest first: the upload order.
  expect(order).toEqual(ids);
  expect(page.url()).not.toContain(tag);

  await worklist.open(order[0]);
  await page.goBack();
  await expect(page.getByTestId("filter-status")).toHaveValue("unreviewed");
  await expect(page.getByTestId("filter-search")).toHaveValue(tag);
  await worklist.expectIds(order);
  await page.reload();
  await expect(page.getByTestId("filter-status")).toHaveValue("unreviewed");
  await worklist.expectIds(order);
  await expect(page.getByTestId("sort-received").locator("xpath=ancestor::th")).toHaveAttribute("aria-sort", "ascending");

  // Next and previous from the result page, by button and by key, in the worklist's order.
  await worklist.open(order[0]);
  await expect(page).toHaveTitle(/Result/);
  await page.getByTestId("study-next").click();
  await expect(page).toHaveURL(new RegExp(`/analyses/${order[1]}$`));
  const result = new ResultPage(page);
  await result.expectLoaded();
  // J and K step while the viewer has focus, as its other keys.
  await result.viewer.focus();
  await page.keyboard.press("j");
  await expect(page).toHaveURL(new RegExp(`/analyses/${order[2]}$`));
  await expect(page.getByTestId("study-next")).toHaveCount(0);
  await page.getByTestId("study-previous").click();
  await expect(page).toHaveURL(new RegExp(`/analyses/${order[1]}$`));
  await result.expectLoaded();
  await result.viewer.focus();
  await page.keyboard.press("k");
  await expect(page).toHaveURL(new RegExp(`/analyses/${order[0]}$`));
});

test("a typed impression is kept as a draft and survives a reload; leaving with unsaved changes asks first", async () => {
  await page.goto(`/analyses/${ids[2]}`);
  const review = new ReviewPanel(page);
  await expect(review.root).toBeVisible();
  const text = `Draft ${tag}: lungs clear.`;
  await review.root.getByTestId("impression").fill(text);
  await expect(review.root.getByTestId("draft-status")).toHaveText(/^Draft saved \d{1,2}:\d{2}/);
  await expect(review.root.getByTestId("draft-status")).toHaveAttribute("aria-live", "polite");
  await page.reload();
  await expect(page.getByTestId("impression")).toHaveValue(text);
  await expect(page.getByTestId("draft-status")).toHaveText(/^Draft saved/);

  // The draft is this reader's own: a colleague opening the same study sees none of it.
  const other = await page.context().browser()!.newContext({ viewport: { width: 1440, height: 900 } });
  const theirs = await other.newPage();
  await signIn(theirs, colleague);
  await theirs.goto(`/analyses/${ids[2]}`);
  await expect(theirs.getByTestId("review-panel")).toBeVisible();
  await expect(theirs.getByTestId("impression")).toHaveValue("");
  const seen = await theirs.request.get(`/api/analyses/${ids[2]}/review/draft`);
  expect(await seen.json()).toEqual({ draft: null });
  await other.close();

  // Typed and not yet saved: following an in-app link asks first, and staying keeps the text.
  await review.root.getByTestId("impression").fill(`${text} Heart normal.`);
  // window.confirm blocks the click until answered: answer it from the handler.
  const prompts: string[] = [];
  page.once("dialog", (d) => {
    prompts.push(d.type());
    void d.dismiss();
  });
  await page.getByTestId("nav-preferences").click();
  expect(prompts).toEqual(["confirm"]);
  await expect(page).toHaveURL(new RegExp(`/analyses/${ids[2]}$`));
  await expect(review.root.getByTestId("draft-status")).toHaveText(/^Draft saved/);

  // Amending a signed review is never saved by itself: leaving asks first.
  await review.agreeRemaining();
  await review.signOff();
  // Signed, the draft has done its job: the server holds none any more.
  expect(await (await page.request.get(`/api/analyses/${ids[2]}/review/draft`)).json()).toEqual({ draft: null });
  // Focus moves to the result of the sign-off, not back to the top of the page.
  await expect(page.getByTestId("signed-off-banner")).toBeFocused();
  await page.getByTestId("amend").click();
  await page.getByTestId("amend-reason").fill("Typo in the impression");
  const asked = page.waitForEvent("dialog");
  const leaving = page.goto("/worklist");
  const dialog = await asked;
  expect(dialog.type()).toBe("beforeunload");
  await dialog.dismiss();
  await leaving.catch(() => undefined);
  await expect(page).toHaveURL(new RegExp(`/analyses/${ids[2]}$`));
  await expect(page.getByTestId("amend-reason")).toHaveValue("Typo in the impression");
});

test("reader preferences are kept with the account: shortcuts turned off in one browser stay off in a fresh one", async ({ browser }) => {
  await page.goto("/account/preferences");
  const singleKey = page.getByTestId("preference-single-key");
  await expect(singleKey).toBeChecked();
  await singleKey.uncheck();
  await expect(page.getByTestId("preferences-status")).toHaveText("Saved to your account.");

  const fresh = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const again = await fresh.newPage();
  try {
    await signIn(again, reader);
    await again.goto("/account/preferences");
    await expect(again.getByTestId("preference-single-key")).not.toBeChecked();
    const result = new ResultPage(again);
    await result.goto(ids[0]);
    await result.expectLoaded();
    await result.viewer.focus();
    await again.keyboard.press("i");
    await expect(result.viewer.wlReadout).not.toContainText("INV");
    // "?" still opens the key sheet, whose switch shows the same stored setting.
    await again.keyboard.press("?");
    await expect(again.getByRole("dialog", { name: "Keyboard shortcuts" }).getByTestId("setting-single-key")).not.toBeChecked();
    await again.keyboard.press("Escape");

    // The heatmap-on-open choice travels the same way.
    await again.goto("/account/preferences");
    await again.getByTestId("preference-single-key").check();
    await again.getByTestId("preference-heatmap-on-open").check();
    await expect(again.getByTestId("preferences-status")).toHaveText("Saved to your account.");
    await result.goto(ids[0]);
    await result.expectLoaded();
    await expect(result.viewer.root).toHaveAttribute("data-overlay", "heatmap");
    await again.goto("/account/preferences");
    await again.getByTestId("preference-heatmap-on-open").uncheck();
    await expect(again.getByTestId("preferences-status")).toHaveText("Saved to your account.");
  } finally {
    await fresh.close();
  }
});

test("the worklist's Why is never cut off and finding chips stay on one line, at 1440×900 and 390×844", async () => {
  const worklist = new WorklistPage(page);
  try {
    for (const size of [
      { width: 1440, height: 900, why: "worklist-why" },
      { width: 390, height: 844, why: "worklist-why-inline" },
    ]) {
      await page.setViewportSize({ width: size.width, height: size.height });
      await worklist.goto();
      await worklist.search(tag);
      await expect.poll(async () => (await worklist.rowIds()).length).toBe(3);
      const reasons = page.getByTestId(size.why);
      await expect(reasons.first()).toBeVisible();
      const cells = await reasons.evaluateAll((els) =>
        els.map((el) => ({
          text: el.textContent ?? "",
          // Cut off: wider than its box (hidden overflow) or ending in an ellipsis.
          cut: el.scrollWidth > el.clientWidth + 1 || getComputedStyle(el).textOverflow === "ellipsis",
        })),
      );
      expect(cells.filter((c) => c.text.trim().length > 0).length, `${size.width}px: reasons shown`).toBeGreaterThan(0);
      expect(cells.filter((c) => c.cut), `${size.width}px: reasons cut off`).toEqual([]);
      const chipRows = await page.getByTestId("worklist-chips").evaluateAll((els) =>
        els.map((el) => {
          const boxes = [...el.children].map((c) => c.getBoundingClientRect());
          // On one line, every item's vertical extent overlaps every other's (the "+N" is centred, not top-aligned).
          const oneLine = boxes.every((a) => boxes.every((b) => a.top < b.bottom && b.top < a.bottom));
          return { chips: boxes.length, oneLine, tallest: Math.max(0, ...boxes.map((b) => b.height)) };
        }),
      );
      expect(chipRows.some((r) => r.chips > 0), `${size.width}px: chips shown`).toBe(true);
      for (const r of chipRows) {
        expect(r.oneLine, `${size.width}px: chips on one line`).toBe(true);
        // One line of 11px text in a chip; a chip whose own text wrapped is twice that.
        expect(r.tallest, `${size.width}px: a chip's text on one line`).toBeLessThan(26);
      }
    }
  } finally {
    await page.setViewportSize({ width: 1440, height: 900 });
  }
});
