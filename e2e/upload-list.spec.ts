// The upload list as a radiologist uses it: the drop zone takes WebP and TIFF as the server does; a
// photograph finishes with the gate's verdict, never the green "View result →" of a film; and the list
// keeps its results when they leave the page and come back (and over a reload).
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import sharp from "sharp";
import { expect, test, type Page } from "@playwright/test";
import { UploadPage } from "./pages/upload-page";
import { signIn } from "./support/auth";
import { studyImageBytes, type StudyUpload } from "./support/studies";
import { seededUsers } from "./support/users";

test.describe.configure({ mode: "serial" });

const tag = `e2e-upl-${crypto.randomBytes(3).toString("hex")}`;
let page: Page;
let files: { webp: StudyUpload; tiff: StudyUpload; photo: StudyUpload };

/** A photograph: the shared fixture's astronaut when present, else a colourful picture drawn here. */
async function photograph(): Promise<Buffer> {
  const fixture = path.resolve("../shared/fixtures/not-xray/astronaut.png");
  if (fs.existsSync(fixture)) return fs.readFileSync(fixture);
  const width = 256;
  const pixels = Buffer.alloc(width * width * 3);
  for (let i = 0; i < width * width; i++) pixels.set([(i * 7) % 256, (i >> 8) % 256, 200], i * 3);
  return sharp(pixels, { raw: { width, height: width, channels: 3 } }).png().toBuffer();
}

test.beforeAll(async ({ browser }) => {
  const film = await studyImageBytes();
  files = {
    webp: { name: `${tag}-film.webp`, mimeType: "image/webp", buffer: await sharp(film).webp({ lossless: true }).toBuffer() },
    tiff: { name: `${tag}-film.tiff`, mimeType: "image/tiff", buffer: await sharp(film).tiff().toBuffer() },
    photo: { name: `${tag}-holiday.png`, mimeType: "image/png", buffer: await photograph() },
  };
  page = await browser.newPage();
  await signIn(page, seededUsers().radiologist);
});

test.afterAll(async () => {
  await page?.close();
});

test("the drop zone offers WebP and TIFF, and the server analyses both", async () => {
  const upload = new UploadPage(page);
  await upload.goto();
  const accept = (await upload.input.getAttribute("accept"))?.split(",") ?? [];
  for (const t of [".png", ".jpg", ".webp", ".tif", ".tiff", ".dcm", "image/webp", "image/tiff", "application/dicom"]) expect(accept).toContain(t);
  await expect(upload.dropzone).toContainText("PNG, JPEG, WebP, TIFF or DICOM");
  await upload.upload([files.webp, files.tiff, files.photo]);
  for (const f of [files.webp, files.tiff]) {
    expect(await upload.settled(f.name), `${f.name} analysed`).toBe("done");
    await expect(upload.item(f.name).getByTestId("upload-result-link")).toHaveText("View result →");
  }
});

test("a photograph finishes with the gate's verdict, not the green result of a film", async () => {
  const upload = new UploadPage(page);
  expect(await upload.settled(files.photo.name)).toBe("done");
  const item = upload.item(files.photo.name);
  await expect(item.getByTestId("upload-warning")).toHaveAttribute("data-codes", /not_a_radiograph/);
  await expect(item.getByTestId("upload-warning")).toContainText(/radiograph/i);
  const link = item.getByTestId("upload-result-link");
  await expect(link).toHaveText("View result (read with care) →");
  await expect(link).not.toHaveClass(/emerald/);
});

test("the list keeps its results when the page is left and opened again, and over a reload", async () => {
  const upload = new UploadPage(page);
  const ids = await Promise.all(Object.values(files).map((f) => upload.analysisId(f.name)));
  await page.getByTestId("nav-worklist").click();
  await expect(page).toHaveURL(/\/worklist/);
  await page.getByTestId("nav-upload").click();
  await expect(upload.dropzone).toBeVisible();
  const check = async () => {
    for (const [i, f] of Object.values(files).entries()) {
      await expect(upload.item(f.name)).toHaveAttribute("data-state", "done");
      expect(await upload.analysisId(f.name)).toBe(ids[i]);
    }
    await expect(upload.item(files.photo.name).getByTestId("upload-warning")).toBeVisible();
  };
  await check();
  await page.reload();
  await check();
  // Clearing the finished ones empties the list, for good.
  await page.getByTestId("upload-clear").click();
  await expect(page.getByTestId("upload-item")).toHaveCount(0);
  await page.reload();
  await expect(upload.dropzone).toBeVisible();
  await expect(page.getByTestId("upload-item")).toHaveCount(0);
});
