// The authorization matrix (test/support/authz-matrix.ts) for pages: every page asked for by every role,
// each signed in through the real sign-in page in Chromium. Plus the routes that only work inside Next's
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

// Each page as a browser navigation asks for it (HTML, redirects followed) with each role's session
// cookies: the outcome the matrix states is the server's (status, or where its redirects end), so the
// page is not rendered in the browser here; e2e/accessibility.spec.ts renders every page.
const NAVIGATION = { accept: "text/html,application/xhtml+xml", "sec-fetch-mode": "navigate", "sec-fetch-dest": "document" };

for (const entry of PAGES) {
  test(`page ${entry.file}`, async () => {
    const path = entry.path(fixture);
    const outcomes = await Promise.all(
      PAGE_ROLES.map(async (role) => {
        const response = await contexts[role].request.get(path, { headers: NAVIGATION });
        const finalPath = new URL(response.url()).pathname;
        if (finalPath === "/sign-in" && path !== "/sign-in") return "sign-in";
        if (finalPath !== path.split("?")[0]) return `redirect to ${finalPath}`;
        return response.status() === 200 ? "ok" : String(response.status());
      }),
    );
    const got = Object.fromEntries(PAGE_ROLES.map((role, i) => [role, outcomes[i]]));
    const want = Object.fromEntries(PAGE_ROLES.map((role) => [role, describeOutcome(entry.expect[role])]));
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
