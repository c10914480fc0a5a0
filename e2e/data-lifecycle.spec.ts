// Retention from the admin's Data page: a film aged past the rules (its upload time moved back in the
// database, the one thing a browser cannot do) is listed by the dry run, removed by "Run now", and its
// result page then says plainly that the image is gone, while its findings stay; the image answers 410.
import crypto from "node:crypto";
import { expect, test } from "@playwright/test";
import { relabeledPng } from "../test/support/imaging/synthetic-film";
import { signIn } from "./support/auth";
import { fromAppPage } from "./support/same-origin";
import { pngAndDicom, uploadStudy } from "./support/studies";
import { testSql } from "./support/test-db";
import { seededUsers } from "./support/users";

const FOREVER = { originalsDays: null, renderingsDays: null, analysesDays: null };

test("an admin's retention run removes an old film's image; its result page and findings stay", async ({ page }) => {
  await signIn(page, seededUsers().admin);
  // A file of its own: the same bytes uploaded by other specs just now would keep the image in use.
  const { png } = await pngAndDicom("retention");
  const analysisId = await uploadStudy(page.request, { ...png, buffer: relabeledPng(png.buffer, `retention-${crypto.randomBytes(4).toString("hex")}`) });
  await testSql("update analyses set created_at = now() - interval '40 days' where id = $1", [analysisId]);
  try {
    await page.goto("/admin/data");
    const rules = page.getByTestId("retention-rules");
    await rules.getByTestId("retention-originalsDays").fill("7");
    await rules.getByTestId("retention-renderingsDays").fill("30");
    await rules.getByRole("button", { name: "Save rules" }).click();
    await expect(page.getByTestId("retention-dry-run")).toContainText(/would remove: [1-9]\d* originals, [1-9]\d* sets of renderings, 0 analyses/);
    page.once("dialog", (d) => void d.accept());
    await page.getByRole("button", { name: "Run now" }).click();
    await expect(page.getByTestId("retention-run-result")).toContainText(/Removed [1-9]\d* originals, [1-9]\d* sets of renderings and 0 analyses/);

    const image = await page.request.get(`/api/analyses/${analysisId}/image`);
    expect(image.status()).toBe(410);
    expect((await image.json()).detail).toMatch(/removed on \d{4}-\d{2}-\d{2} under the site's retention rules/);
    await page.goto(`/analyses/${analysisId}`);
    await expect(page.getByTestId("image-removed")).toContainText("removed on");
    await expect(page.getByTestId("triage-card")).toBeVisible();
    const audit = await page.request.get("/api/admin/audit?action=retention.remove_original");
    expect(JSON.stringify(await audit.json())).toContain(analysisId);
  } finally {
    // The rules are site-wide: put them back for the other specs.
    const reset = await page.request.put("/api/admin/data/retention", { headers: fromAppPage(), data: FOREVER });
    expect(reset.status()).toBe(200);
  }
});
