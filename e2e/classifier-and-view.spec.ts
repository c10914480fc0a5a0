// The site's classifier and the view check from pixels, on a server of its own (the choice is a site
// setting, and the view model flags films other specs expect unflagged): the converted release-zoo
// fixture checkpoints (e2e/support/prepare.ts) with their random weights. Which fixture film the view
// model calls lateral comes from the library's own outputs (../shared/fixtures/zoo/view/reference.json):
// h0001.png is "Lateral" (logits −2.00, −0.11), 00000001_000.png "Frontal" (1.41, −3.84).
import fs from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { fixturePath } from "../test/support/imaging/fixtures";
import { wcagViolations } from "../test/support/axe-check";
import { zooModelDir } from "../test/support/zoo-models";
import { ClassifierAdmin } from "./pages/classifier-admin";
import { ResultPage } from "./pages/result-page";
import { UploadPage } from "./pages/upload-page";
import { signIn } from "./support/auth";
import { OwnServer } from "./support/own-server";

let own: OwnServer;

test.beforeAll(async () => {
  test.setTimeout(300_000);
  const [resnet, view] = [await zooModelDir("resnet50"), await zooModelDir("view")];
  own = await OwnServer.create();
  await own.start({ MODEL_RESNET_DIR: resnet, VIEW_MODEL_DIR: view });
});

test.afterAll(async () => {
  await own?.dispose();
});

const film = (name: string) => ({ name, mimeType: name.endsWith(".png") ? "image/png" : "image/jpeg", buffer: fs.readFileSync(fixturePath("xrv", "images", name)) });

/** Uploads one film through the upload page and opens its result. */
async function analyse(page: Page, name: string): Promise<ResultPage> {
  const upload = new UploadPage(page);
  await upload.goto();
  await upload.upload([film(name)]);
  expect(await upload.settled(name)).toBe("done");
  const result = new ResultPage(page);
  await result.goto(await upload.analysisId(name));
  await expect(result.model).toBeVisible();
  return result;
}

test("a lateral PNG is flagged as lateral by the view model; a frontal one is not", async ({ browser }) => {
  test.setTimeout(180_000);
  const ctx = await browser.newContext({ baseURL: own.baseURL });
  const page = await ctx.newPage();
  await signIn(page, own.users.admin);

  const lateral = await analyse(page, "h0001.png");
  const warning = page.getByTestId("analysis-warnings").locator('[data-code="non_frontal_view"]');
  await expect(warning).toContainText("UNTRAINED demo view model reads this film as a lateral view");
  await expect(page.getByTestId("findings-not-assessable")).toBeVisible();
  await expect(lateral.model).toContainText("densenet121-res224-all-demo");

  await analyse(page, "00000001_000.png");
  await expect(page.getByTestId("findings-list")).toBeVisible();
  await expect(page.locator('[data-testid="analysis-warnings"] [data-code="non_frontal_view"]')).toHaveCount(0);
  await ctx.close();
});

test("the admin switches the classifier and the next analysis records the other model", async ({ browser }) => {
  test.setTimeout(180_000);
  const ctx = await browser.newContext({ baseURL: own.baseURL });
  const page = await ctx.newPage();
  await signIn(page, own.users.admin);

  const before = await analyse(page, "tb0005.png");
  await expect(before.model).toContainText("densenet121-res224-all-demo");
  await expect(page.getByTestId("finding-not-assessed")).toHaveCount(0);

  const admin = new ClassifierAdmin(page);
  await admin.goto();
  await expect(page.getByTestId("classifier-option-densenet121")).toBeChecked();
  expect(await wcagViolations(page, "/admin/system")).toEqual([]);
  await admin.choose("resnet50");
  await page.reload();
  await expect(page.getByTestId("classifier-option-resnet50")).toBeChecked();
  await expect(page.getByTestId("system-model-name")).toHaveText("resnet50-res512-all");

  const after = await analyse(page, "tb0005.png");
  await expect(after.model).toContainText("resnet50-res512-all");
  // Its two labels without an operating point read "not assessed by this model", with no score.
  for (const label of ["Lung Lesion", "Enlarged Cardiomediastinum"]) {
    const row = after.findingRows.and(page.locator(`[data-label="${label}"]`));
    await expect(row).toHaveAttribute("data-assessed", "false");
    await expect(row.getByTestId("finding-not-assessed")).toHaveText("not assessed by this model");
  }

  // Back: the analysis after that is the DenseNet's again; the ResNet-50's keeps its model.
  await admin.goto();
  await admin.choose("densenet121");
  const again = await analyse(page, "00027426_000.png");
  await expect(again.model).toContainText("densenet121-res224-all-demo");
  await ctx.close();
});
