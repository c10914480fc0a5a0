// The authorization matrix (test/support/authz-matrix.ts) for pages, in Chromium: every page opened by
// every role, signed in through the real sign-in page. Plus the routes that only work inside Next's
// request scope (next-auth's own handler), called over HTTP as every caller.
import { expect, request as playwrightRequest, test, type APIRequestContext, type Browser, type BrowserContext } from "@playwright/test";
import { CALLERS, PAGE_ROLES, PAGES, ROUTES, type MatrixFixture, type PageOutcome, type PageRole } from "../test/support/authz-matrix";
import { apiKeyFor, share, signOff } from "./support/admin-support";
import { pngStudy, uploadStudy } from "./support/studies";
import { signIn } from "./support/auth";
import { seededUsers } from "./support/users";
import { fromAppPage } from "./support/same-origin";

test.describe.configure({ mode: "serial" });

const contexts = {} as Record<PageRole, BrowserContext>;
let fixture: MatrixFixture;
let apiKeyRequest: APIRequestContext;

async function signedIn(browser: Browser, role: PageRole): Promise<BrowserContext> {
  const context = await browser.newContext();
  if (role !== "anonymous") {
    const page = await context.newPage();
    await signIn(page, seededUsers()[role]);
    await page.close();
  }
  return context;
}

test.beforeAll(async ({ browser, baseURL }) => {
  for (const role of PAGE_ROLES) contexts[role] = await signedIn(browser, role);
  const users = seededUsers();
  const rad = contexts.radiologist.request;
  const analysisId = await uploadStudy(rad, await pngStudy("authz-analysis.png"));
  const reportId = await uploadStudy(rad, await pngStudy("authz-report.png"));
  await signOff(rad, reportId);
  const { shareId, token } = await share(rad, reportId, users.patient.email);
  const { analysis } = (await (await rad.get(`/api/analyses/${analysisId}`)).json()) as { analysis: { studyId: string } };
  fixture = { analysisId, studyId: analysis.studyId, reportId, shareId, shareToken: token, positivePosition: "0", userId: users.radiologist.id };
  const key = await apiKeyFor(contexts.admin.request, users.radiologist.email, ["analyses:read", "analyses:write", "reports:read"]);
  apiKeyRequest = await playwrightRequest.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${key}` } });
});

test.afterAll(async () => {
  for (const c of Object.values(contexts)) await c?.close();
  await apiKeyRequest?.dispose();
});

function describeOutcome(o: PageOutcome): string {
  return typeof o === "object" ? `redirect to ${o.redirect}` : String(o);
}

for (const entry of PAGES) {
  test(`page ${entry.file}`, async () => {
    const got: Record<string, string> = {};
    const want: Record<string, string> = {};
    for (const role of PAGE_ROLES) {
      const page = await contexts[role].newPage();
      const path = entry.path(fixture);
      const response = await page.goto(path);
      const finalPath = new URL(page.url()).pathname;
      const status = response?.status() ?? 0;
      const expected = entry.expect[role];
      want[role] = describeOutcome(expected);
      if (finalPath === "/sign-in" && path !== "/sign-in") got[role] = "sign-in";
      else if (finalPath !== path) got[role] = `redirect to ${finalPath}`;
      else if (status === 200) got[role] = "ok";
      else got[role] = String(status);
      await page.close();
    }
    expect(got).toEqual(want);
  });
}

for (const entry of ROUTES.filter((r) => r.via === "e2e")) {
  test(`${entry.method} ${entry.file} (over HTTP)`, async () => {
    const got: Record<string, number> = {};
    for (const caller of CALLERS) {
      const req = caller === "apiKey" ? apiKeyRequest : contexts[caller].request;
      const r = entry.request(fixture);
      const res = await req.fetch(r.path, { method: entry.method, headers: entry.method === "GET" ? {} : fromAppPage(), data: r.json, maxRedirects: 0 });
      got[caller] = res.status();
    }
    expect(got).toEqual(entry.expect);
  });
}
