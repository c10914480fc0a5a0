// Security suite: what reaches patients and other people, and the last place a password is checked.
// A reviewer with no name on the account used to appear by e-mail on the share page and in the PDF; share
// links were built on whatever Host header the request carried; the current password on the password
// page could be guessed without limit.
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { Share } from "@/lib/db/schema";
import { env } from "@/lib/env";
import { sharedReportPdf, openSharedReport } from "@/lib/shares/patient-view";
import { createShare } from "@/lib/shares/service";
import { seedSignedOffAnalysis } from "@/test/support/shares";
import { appErrorOf } from "@/test/support/app-error";
import { extractPdfText } from "@/test/support/pdf-text";
import { createTestUser, type TestUser } from "@/test/support/principals";
import { changeOwnPassword } from "@/lib/users/change-password";

describe("security: patients never see staff e-mail addresses", () => {
  let reader: TestUser;
  let share: Share;

  beforeAll(async () => {
    reader = await createTestUser("radiologist", { name: "" });
    const { analysisId } = await seedSignedOffAnalysis(reader.principal);
    const created = await createShare({ actor: reader.principal, analysisId, input: {}, baseUrl: "https://cxr.example.org" });
    share = { id: created.share.id, analysisId } as Share;
  });

  it("the shared report names a nameless reviewer as 'your radiologist', on the page and in the PDF", async () => {
    const report = await openSharedReport({ share, viewer: null, headers: new Headers() });
    expect(JSON.stringify(report)).not.toContain(reader.user.email);
    const pdf = await sharedReportPdf({ share, viewer: null, headers: new Headers() });
    expect(pdf.status).toBe(200);
    const text = await extractPdfText(Buffer.from(await pdf.arrayBuffer()));
    expect(text).not.toContain(reader.user.email);
    expect(text.toLowerCase()).toContain("your radiologist");
  });
});

describe("security: links for other people are built on PUBLIC_URL only", () => {
  const forged = new Request("http://evil.example.net/api/analyses/x/shares", { headers: { host: "evil.example.net" } });
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  async function publicBaseUrlWith(vars: Record<string, string | undefined>) {
    for (const [k, v] of Object.entries(vars)) vi.stubEnv(k, v);
    vi.resetModules();
    return (await import("@/lib/api/public-url")).publicBaseUrl;
  }

  it("uses PUBLIC_URL whatever Host the request names", async () => {
    const publicBaseUrl = await publicBaseUrlWith({ PUBLIC_URL: "https://cxr.example.org/", NODE_ENV: "production" });
    expect(publicBaseUrl(forged)).toBe("https://cxr.example.org");
  });

  it("in production without PUBLIC_URL refuses to make a link, saying what to set", async () => {
    const publicBaseUrl = await publicBaseUrlWith({ PUBLIC_URL: undefined, NODE_ENV: "production" });
    // The module was loaded afresh for this environment, so its AppError is a class of its own: compare fields.
    let error: { code?: string; message?: string } | undefined;
    try {
      publicBaseUrl(forged);
    } catch (e) {
      error = e as { code?: string; message?: string };
    }
    expect(error?.code).toBe("service_unavailable");
    expect(error?.message).toContain("PUBLIC_URL");
  });
});

describe("security: the current password on the password page is throttled per account", () => {
  it("refuses even the right password once the account's wrong guesses reach the limit", async () => {
    const password = "the right password, long enough";
    const person = await createTestUser("radiologist", { password });
    for (let i = 0; i < env.SIGN_IN_FAILURES_PER_ACCOUNT; i++) {
      const wrong = await appErrorOf(changeOwnPassword({ actor: person.principal, currentPassword: `guess ${i}`, newPassword: "a new password of mine" }));
      expect(wrong.code).toBe("validation_failed");
    }
    const throttled = await appErrorOf(changeOwnPassword({ actor: person.principal, currentPassword: password, newPassword: "a new password of mine" }));
    expect(throttled.code).toBe("rate_limited");
    expect(throttled.message).toMatch(/Too many wrong current passwords/);
  });
});
