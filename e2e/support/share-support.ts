// Helpers for e2e/share.spec.ts. The steps that belong to other parts of the app (accounts, expiry,
// the model's findings) are kept here, in one place, so the spec reads as the sharing story it tests.
import { expect, type Page } from "@playwright/test";
import { testSql } from "./test-db";
import { createUsers, type SeededUser } from "./users";

export type E2eUser = SeededUser;

/** A radiologist of this spec's own, made through the real user service (e2e/support/users.ts). */
export async function createRadiologist(name: string): Promise<E2eUser> {
  return (await createUsers([["radiologist", name]]))[0];
}

/** Moves a share's expiry into the past: the same state as a link whose 30 days have run out. */
export async function expireShare(shareId: string): Promise<void> {
  const moved = await testSql("update shares set expires_at = now() - interval '1 minute' where id = $1 returning id", [shareId]);
  expect(moved).toHaveLength(1);
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
