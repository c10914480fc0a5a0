// One image per SOP Instance UID: the same DICOM uploaded twice through the upload page is answered the
// second time with the analysis it already became (said in the upload list), and its study in the
// worklist has one image, never two.
import crypto from "node:crypto";
import { expect, test, type Page } from "@playwright/test";
import { UploadPage } from "./pages/upload-page";
import { WorklistPage } from "./pages/worklist-page";
import { signIn } from "./support/auth";
import { pngAndDicom } from "./support/studies";
import { createUsers } from "./support/users";

const tag = `e2e-sop-${crypto.randomBytes(3).toString("hex")}`;
let page: Page;

test.beforeAll(async ({ browser }) => {
  const [reader] = await createUsers([["radiologist", `Reader ${tag}`]]);
  page = await (await browser.newContext()).newPage();
  await signIn(page, reader);
});
test.afterAll(async () => page?.context().close());

test("the same DICOM twice gives one image", async () => {
  const { dicom } = await pngAndDicom(tag);
  const upload = new UploadPage(page);
  await upload.goto();
  await upload.upload([dicom]);
  expect(await upload.settled(dicom.name)).toBe("done");
  const first = await upload.analysisId(dicom.name);
  await expect(upload.item(dicom.name).getByTestId("upload-already-received")).toHaveCount(0);

  const again = { ...dicom, name: `${tag}-again.dcm` };
  await upload.upload([again]);
  expect(await upload.settled(again.name)).toBe("done");
  await expect(upload.item(again.name).getByTestId("upload-already-received")).toContainText("Already received");
  expect(await upload.analysisId(again.name)).toBe(first);

  const worklist = new WorklistPage(page);
  await worklist.goto();
  await worklist.search(tag);
  await expect(worklist.rows).toHaveCount(1);
  await expect(worklist.rows.first()).toHaveAttribute("data-images", "1");
  await expect(worklist.rows.first()).toHaveAttribute("data-id", first);
});
