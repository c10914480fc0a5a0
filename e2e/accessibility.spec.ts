// Every page, as each kind of visitor sees it, checked with axe-core for WCAG 2.1 A and AA (contrast,
// names, landmarks, ...) at a desktop and a phone size: the sign-in, invitation and patient share pages,
// the staff pages with a real analysed and signed-off study, the admin pages, a patient's own reports.
import crypto from "node:crypto";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { wcagViolations, type AxeFinding } from "../test/support/axe-check";
import { signIn } from "./support/auth";
import { fromAppPage } from "./support/same-origin";
import { pngStudy, uploadStudy } from "./support/studies";
import { seededUsers, signedInRequest } from "./support/users";

const VIEWPORTS = { desktop: { width: 1440, height: 900 }, phone: { width: 390, height: 844 } } as const;
const tag = `e2e-a11y-${crypto.randomBytes(3).toString("hex")}`;
const CODE = "harbour-2291";

let analysisId: string;
let setId: string;
let openShare: string;
let codedShare: string;
let patientShareId: string;

test.beforeAll(async () => {
  const users = seededUsers();
  const api = await signedInRequest(users.radiologist);
  try {
    analysisId = await uploadStudy(api, await pngStudy(`${tag}.png`));
    const detail = (await (await api.get(`/api/analyses/${analysisId}`)).json()) as { findings: { label: string }[] };
    const decisions = Object.fromEntries(detail.findings.map((f) => [f.label, "agree"]));
    const signed = await api.post(`/api/analyses/${analysisId}/review/sign-off`, { headers: fromAppPage(), data: { decisions, addedFindings: [], impression: "Accessibility e2e." } });
    expect(signed.status(), await signed.text()).toBe(200);
    const share = async (data: object) => {
      const res = await api.post(`/api/analyses/${analysisId}/shares`, { headers: fromAppPage(), data });
      expect(res.status(), await res.text()).toBe(201);
      return (await res.json()) as { url: string; share: { id: string } };
    };
    openShare = new URL((await share({})).url).pathname;
    codedShare = new URL((await share({ accessCode: CODE })).url).pathname;
    patientShareId = (await share({ recipientEmail: users.patient.email })).share.id;
    const today = new Date().toISOString().slice(0, 10);
    const set = await api.post("/api/validation/sets", { headers: fromAppPage(), data: { source: "reviews", name: `A11y ${tag}`, from: today, to: today } });
    expect(set.status(), await set.text()).toBe(201);
    setId = ((await set.json()) as { id: string }).id;
  } finally {
    await api.dispose();
  }
});

/** Opens each path and collects its violations; waits for the page's data to arrive first. */
async function audit(page: Page, paths: string[]): Promise<AxeFinding[]> {
  const found: AxeFinding[] = [];
  for (const path of paths) {
    const res = await page.goto(path);
    expect(res?.status(), path).toBeLessThan(500);
    await page.waitForLoadState("networkidle", { timeout: 15_000 }).catch(() => undefined);
    await expect(page.locator("main").first()).toBeVisible();
    found.push(...(await wcagViolations(page, path)));
  }
  return found;
}

async function visitor(browser: Browser, size: keyof typeof VIEWPORTS, user?: { email: string; password: string }) {
  const context = await browser.newContext({ viewport: VIEWPORTS[size], ...(size === "phone" ? { isMobile: true, hasTouch: true } : {}) });
  const page = await context.newPage();
  if (user) await signIn(page, user);
  return { context, page };
}

for (const size of Object.keys(VIEWPORTS) as (keyof typeof VIEWPORTS)[]) {
  test(`signed-out pages meet WCAG 2.1 AA (${size})`, async ({ browser }) => {
    const { context, page } = await visitor(browser, size);
    const found = await audit(page, ["/sign-in", "/invite?token=not-a-real-invitation", "/no-such-page", openShare, codedShare]);
    // The access code form (the last page visited), then the report it opens.
    await page.getByLabel("Access code").fill(CODE);
    await page.getByRole("button", { name: "Open my report" }).click();
    await expect(page.getByTestId("radiologist-impression")).toBeVisible();
    found.push(...(await wcagViolations(page, `${codedShare} (unlocked)`)));
    await context.close();
    expect(found).toEqual([]);
  });

  test(`staff pages meet WCAG 2.1 AA (${size})`, async ({ browser }) => {
    const { context, page } = await visitor(browser, size, seededUsers().radiologist);
    const found = await audit(page, [
      "/",
      "/worklist",
      "/history",
      `/analyses/${analysisId}`,
      "/stats",
      "/validation",
      `/validation/${setId}`,
      "/api-docs",
      "/account/password",
      "/account/preferences",
    ]);
    await context.close();
    expect(found).toEqual([]);
  });

  test(`admin pages meet WCAG 2.1 AA (${size})`, async ({ browser }) => {
    const { context, page } = await visitor(browser, size, seededUsers().admin);
    const found = await audit(page, ["/admin", "/admin/users", "/admin/api-keys", "/admin/audit", "/admin/system", "/admin/triage"]);
    await context.close();
    expect(found).toEqual([]);
  });

  test(`a patient's pages meet WCAG 2.1 AA (${size})`, async ({ browser }) => {
    const { context, page } = await visitor(browser, size, seededUsers().patient);
    const found = await audit(page, ["/my-reports", `/my-reports/${patientShareId}`]);
    await context.close();
    expect(found).toEqual([]);
  });
}
