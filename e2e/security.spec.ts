// Security suite, the parts that need the real server and browser: sessions ended by sign-out or a
// password change (next-auth's own /api/auth/session included), and client addresses taken from the
// socket by the app's server. The rest of the suite is in lib/security/*.test.ts.
import { expect, test, type Browser, type BrowserContext } from "@playwright/test";
import { ChangePasswordPage } from "./pages/change-password-page";
import { ReviewPanel } from "./pages/review-panel";
import { signIn, signOut } from "./support/auth";
import { httpFrom, signInFrom } from "./support/raw-http";
import { fromAppPage } from "./support/same-origin";
import { pngStudy, uploadStudy } from "./support/studies";
import { createUsers, seededUsers, signedInRequest } from "./support/users";

/** A fresh browser holding nothing but a copy of `from`'s cookies, as a thief would. */
async function withStolenCookies(browser: Browser, from: BrowserContext): Promise<BrowserContext> {
  const thief = await browser.newContext();
  await thief.addCookies(await from.cookies());
  return thief;
}

async function expectRefusedEverywhere(thief: BrowserContext) {
  const page = await thief.newPage();
  await page.goto("/worklist");
  await expect(page).toHaveURL(/\/sign-in/);
  const api = await thief.request.post("/api/worklist", { headers: fromAppPage(), data: {} });
  expect(api.status()).toBe(401);
  const session = await thief.request.get("/api/auth/session");
  expect(session.status()).toBe(200);
  expect(await session.json()).toEqual({});
}

test("a session token copied before sign-out or a password change is refused everywhere", async ({ browser }) => {
  // Sign-out: the copy taken while signed in no longer opens the worklist, its API or the session.
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await signIn(page, seededUsers().radiologist);
  const thiefBefore = await withStolenCookies(browser, ctx);
  expect((await thiefBefore.request.get("/api/auth/session").then((r) => r.json())).user?.role).toBe("radiologist");
  await signOut(page);
  await expectRefusedEverywhere(thiefBefore);
  await thiefBefore.close();
  await ctx.close();

  // Password change in one browser ends the session held by another.
  const [user] = await createUsers([["radiologist", "Session Tester"]]);
  const first = await browser.newContext();
  await signIn(await first.newPage(), user);
  const second = await browser.newContext();
  const secondPage = await second.newPage();
  await signIn(secondPage, user);
  await secondPage.goto("/account/password");
  const changed = secondPage.waitForResponse((r) => r.url().endsWith("/api/account/password"));
  await new ChangePasswordPage(secondPage).change(user.password, `${user.password}-changed`);
  expect((await changed).status()).toBe(200);
  await expectRefusedEverywhere(first);
  await first.close();
  await second.close();
});

test("a forged X-Forwarded-For changes neither limits nor the audit log (real server, client 127.0.0.2)", async () => {
  const client = "127.0.0.2";
  // Anonymous calls of a signed-in route count against the socket's address until 429, each one with
  // a different made-up X-Forwarded-For: were any of them believed, each would bring a fresh budget
  // and no request would ever be refused.
  const forged = (i: number) => (i % 2 ? `198.18.${i >> 8}.${i & 255}` : `=1+2, <img src=x onerror=alert(${i})>`);
  let status = 0;
  let sent = 0;
  for (; sent < 2000 && status !== 429; sent++) {
    status = (await httpFrom(client, `/api/stats/flood-${sent}`, { headers: { "x-forwarded-for": forged(sent) } })).status;
  }
  expect(status).toBe(429);
  expect(sent).toBeGreaterThan(50); // the budget (RATE_LIMIT_PER_IP) was spent, not refused from the start
  // Someone else (the rest of the suite, at 127.0.0.1) is not held back.
  expect((await httpFrom("127.0.0.1", "/api/stats/volume")).status).toBe(401);

  // A failed sign-in is audited with the socket's address, never the header's.
  const [user] = await createUsers([["radiologist", "Address Tester"]]);
  await signInFrom(client, user.email, "not the password", { "x-forwarded-for": "<img src=x onerror=alert(1)>" });
  // Read as an admin reads it: the audit log's own route.
  const admin = await signedInRequest(seededUsers().admin);
  try {
    const res = await admin.get("/api/admin/audit?action=auth.sign_in_failed&limit=500");
    expect(res.status()).toBe(200);
    const { rows } = (await res.json()) as { rows: { targetId: string | null; ip: string | null }[] };
    expect(rows.filter((e) => e.targetId === user.id).map((e) => e.ip)).toEqual([client]);
  } finally {
    await admin.dispose();
  }
});

test("pages run under a nonce script policy with no violations; a signed-in /sign-in?next=/。/x redirects", async ({ browser }) => {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  const violations: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error" && /Content Security Policy/i.test(m.text())) violations.push(m.text());
  });
  const nonces: string[] = [];
  for (const path of ["/sign-in", "/sign-in"]) {
    const res = await page.goto(path);
    const policy = res?.headers()["content-security-policy"] ?? "";
    expect(policy).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
    expect(policy).not.toContain("unsafe-inline");
    nonces.push(/'nonce-([^']+)'/.exec(policy)![1]);
  }
  expect(nonces[0]).not.toBe(nonces[1]);
  // The sign-in form is a client component: it works only if Next.js's scripts ran under the policy.
  await signIn(page, seededUsers().radiologist);
  await page.goto("/worklist");
  await expect(page.getByTestId("worklist-page")).toBeVisible();
  const back = await page.goto("/sign-in?next=/。/x");
  expect(back?.status()).toBeLessThan(500);
  expect(new URL(page.url()).pathname).toBe("/%E3%80%82/x");
  expect(violations).toEqual([]);
  await ctx.close();
});

test("a normal sign-off beside confirmed findings is refused and the patient never reads it", async ({ page, browser }) => {
  const [reader] = await createUsers([["radiologist", "Dr Consistency"]]);
  await signIn(page, reader);
  const analysisId = await uploadStudy(page.request, await pngStudy("sign-off-consistency"));
  await page.goto(`/analyses/${analysisId}`);
  const review = new ReviewPanel(page);
  await expect(review.root).toBeVisible();

  // Bulk agreement says how many model-positive findings it confirms, and records nothing until confirmed.
  const all = await review.findings();
  const positives = all.filter((f) => f.positive).map((f) => f.label);
  const { dialog, positives: announced } = await review.openAgreeRemaining();
  expect(announced).toBe(positives.length);
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toHaveCount(0);
  await expect(review.root).toContainText(`0/${all.length} decided`);
  await review.agreeRemaining();
  // A missed finding confirmed by the radiologist, whatever the untrained model called.
  await review.root.getByTestId("add-missed-text").fill("Rib fracture");
  await review.root.getByTestId("add-missed-text").press("Enter");
  await review.impression("No acute cardiopulmonary abnormality.");

  // The panel names the conflict and will not send it; the route refuses it when sent anyway.
  await review.overallResult("normal");
  await expect(review.root.getByTestId("result-conflict")).toContainText("Rib fracture");
  await review.root.getByTestId("sign-off").click();
  await expect(review.root.getByTestId("review-error")).toContainText("cannot be normal");
  await expect(review.root.getByTestId("confirm-sign-off")).toHaveCount(0);
  const decisions = Object.fromEntries((await review.findings()).map((f) => [f.label, "agree"]));
  const refused = await page.request.post(`/api/analyses/${analysisId}/review/sign-off`, {
    headers: fromAppPage(),
    data: { decisions, addedFindings: ["Rib fracture"], impression: "No acute cardiopulmonary abnormality.", overallResult: "normal" },
  });
  expect(refused.status()).toBe(422);
  const problem = (await refused.json()) as { code: string; conflictingFindings?: string[]; detail?: string };
  expect(problem.code).toBe("review_result_conflict");
  expect(JSON.stringify(problem)).toContain("Rib fracture");
  expect(await review.status()).not.toBe("signed_off");

  // Signed as abnormal, the patient's page says so and never "normal".
  await review.signOff("abnormal");
  const panel = page.getByTestId("share-panel");
  await panel.getByTestId("share-create").click();
  const url = await panel.getByTestId("share-url").inputValue();
  const patient = await browser.newContext();
  const patientPage = await patient.newPage();
  await patientPage.goto(url);
  await expect(patientPage.getByTestId("overall-result")).toHaveAttribute("data-result", "abnormal");
  await expect(patientPage.getByTestId("radiologist-impression")).not.toContainText("Overall result: normal");
  await patient.close();
});

test("return paths stay on this site after sign-in, and a malformed callbackUrl is never a 500", async ({ browser, baseURL }) => {
  const origin = new URL(baseURL!).origin;
  const onSite = (location: string | undefined) => {
    expect(location, "a redirect").toBeTruthy();
    expect(location!.startsWith("//") || location!.startsWith("/\\"), location).toBe(false);
    expect(new URL(location!, origin).origin, location).toBe(origin);
  };
  const ctx = await browser.newContext();
  await signIn(await ctx.newPage(), seededUsers().radiologist);
  // Signed in, the sign-in page sends people on to `next`: the four spellings of another site stay here.
  for (const next of ["/.//evil.example/x", "/..//evil.example/x", "/%2e%2e//evil.example/x", "/\\evil.example/x"]) {
    const res = await ctx.request.get(`/sign-in?next=${encodeURIComponent(next)}`, { maxRedirects: 0 });
    expect(res.status(), next).toBe(307);
    onSite(res.headers()["location"]);
  }
  await ctx.close();

  // Before sign-in: next-auth's callbackUrl in the query and in its cookie.
  const anonymous = await browser.newContext();
  for (const value of ["x", "\\\\evil.example", "%2F%2Fevil.example", "/.//evil.example/x"]) {
    for (const path of ["/api/auth/signin", "/api/auth/callback/credentials", "/sign-in"]) {
      const byQuery = await anonymous.request.get(`${path}?callbackUrl=${encodeURIComponent(value)}`, { maxRedirects: 0 });
      expect(byQuery.status(), `${path} callbackUrl=${value}`).toBeLessThan(500);
      if (byQuery.status() >= 300 && byQuery.status() < 400) onSite(byQuery.headers()["location"]);
    }
    const byCookie = await anonymous.request.get("/api/auth/signin", { maxRedirects: 0, headers: { cookie: `next-auth.callback-url=${encodeURIComponent(value)}` } });
    expect(byCookie.status(), `cookie ${value}`).toBeLessThan(500);
    if (byCookie.status() >= 300 && byCookie.status() < 400) onSite(byCookie.headers()["location"]);
    const session = await anonymous.request.get("/api/auth/session", { headers: { cookie: `next-auth.callback-url=${encodeURIComponent(value)}` } });
    expect(session.status(), `session with cookie ${value}`).toBe(200);
  }
  await anonymous.close();
});
