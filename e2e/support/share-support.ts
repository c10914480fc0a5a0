// Helpers for e2e/share.spec.ts. The steps that belong to other parts of the app (accounts, upload)
// are kept here, in one place, so the spec reads as the sharing story it tests.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { hash } from "@node-rs/argon2";
import { expect, type Page } from "@playwright/test";
import postgres from "postgres";
import sharp from "sharp";

/** The database the test server uses (the Playwright config passes the same URL to the server). */
export function testDb() {
  const url = process.env.E2E_DATABASE_URL ?? process.env.DATABASE_URL;
  if (!url) throw new Error("e2e/share.spec.ts needs the test server's DATABASE_URL (or E2E_DATABASE_URL).");
  return postgres(url, { max: 1, onnotice: () => {} });
}

export interface E2eUser {
  id: string;
  email: string;
  password: string;
  name: string;
}

/** A signed-up user with a password, written straight to the test database (what an admin would do). */
export async function createUser(role: "radiologist" | "admin" | "patient", name: string): Promise<E2eUser> {
  const sql = testDb();
  try {
    const password = crypto.randomBytes(12).toString("base64url");
    const email = `${role}.${crypto.randomBytes(4).toString("hex")}@e2e.invalid`;
    const passwordHash = await hash(password, { memoryCost: 19_456, timeCost: 2, parallelism: 1, algorithm: 2 });
    const [row] = await sql<{ id: string }[]>`
      insert into users (email, name, role, password_hash) values (${email}, ${name}, ${role}, ${passwordHash}) returning id`;
    return { id: row.id, email, password, name };
  } finally {
    await sql.end();
  }
}

/** Moves a share's expiry into the past: the same state as a link whose 30 days have run out. */
export async function expireShare(shareId: string): Promise<void> {
  const sql = testDb();
  try {
    await sql`update shares set expires_at = now() - interval '1 minute' where id = ${shareId}`;
  } finally {
    await sql.end();
  }
}

export async function signIn(page: Page, user: E2eUser): Promise<void> {
  // Wait for hydration: a click before React attaches would submit the form natively, signing no one in.
  await page.goto("/sign-in", { waitUntil: "networkidle" });
  await page.getByTestId("sign-in-email").fill(user.email);
  await page.getByTestId("sign-in-password").fill(user.password);
  const [callback] = await Promise.all([
    page.waitForResponse((r) => r.url().includes("/api/auth/callback/credentials")),
    page.getByTestId("sign-in-submit").click(),
  ]);
  expect(callback.status()).toBe(200);
  await page.waitForURL((url) => !url.pathname.startsWith("/sign-in"));
}

/** A chest film to upload: a fixture radiograph when ../shared/fixtures is present, else one drawn here. */
export async function studyImage(): Promise<{ name: string; mimeType: string; buffer: Buffer }> {
  // Relative to the repo root, where Playwright runs: CI clones the repo with shared/ beside it.
  const fixture = path.resolve("../shared/fixtures/xrv/images/00000001_000.png");
  if (fs.existsSync(fixture)) return { name: "study.png", mimeType: "image/png", buffer: fs.readFileSync(fixture) };
  const size = 512;
  const px = Buffer.alloc(size * size);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const dx = (x - size / 2) / (size / 2);
      const dy = (y - size / 2) / (size / 2);
      px[y * size + x] = Math.round(210 - 150 * Math.exp(-((Math.abs(dx) - 0.45) ** 2) / 0.05 - (dy * dy) / 0.6));
    }
  }
  return { name: "study.png", mimeType: "image/png", buffer: await sharp(px, { raw: { width: size, height: size, channels: 1 } }).png().toBuffer() };
}

/** Uploads through the app's own upload route (real decode and real model) and returns the analysis id. */
export async function uploadStudy(page: Page): Promise<string> {
  const res = await page.request.post("/api/analyses", { multipart: { file: await studyImage() } });
  expect(res.status(), await res.text()).toBeLessThan(300);
  const body = (await res.json()) as { analyses: { id: string }[] };
  expect(body.analyses).toHaveLength(1);
  return body.analyses[0].id;
}

/** The findings the model called positive, as the staff FHIR export reports them (not what the page shows). */
export async function positiveFindings(page: Page, analysisId: string): Promise<string[]> {
  const res = await page.request.get(`/api/v1/analyses/${analysisId}/fhir`);
  expect(res.status()).toBe(200);
  const bundle = (await res.json()) as {
    entry: { resource: { resourceType: string; code?: { text?: string }; interpretation?: { coding: { code: string }[] }[] } }[];
  };
  return bundle.entry
    .map((e) => e.resource)
    .filter((r) => r.resourceType === "Observation" && r.interpretation?.[0]?.coding[0]?.code === "POS")
    .map((r) => r.code!.text!);
}
