// The retention story, run by one test file per backend (PostgreSQL + S3-protocol storage, and the
// embedded database with local files): analyses of chosen ages with real stored files, a held study and
// a held patient, then the dry run, the run at an injected clock, and what pages and the API answer.
import crypto from "node:crypto";
import { eq } from "drizzle-orm";
import { expect, it } from "vitest";
import { renderingResponse } from "@/lib/analyses/serve-rendering";
import { getV1Analysis } from "@/lib/api/v1/queries";
import type { Principal } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import { analyses, auditEvents, images, studies } from "@/lib/db/schema";
import { buildFhirBundle } from "@/lib/fhir/bundle";
import { placeHold } from "@/lib/lifecycle/holds";
import { planRetention, runRetention } from "@/lib/lifecycle/retention";
import type { RetentionRules } from "@/lib/lifecycle/rules";
import { reportPdf } from "@/lib/reports/report-media";
import { loadReportData } from "@/lib/reports/report-data";
import { resolveShareToken } from "@/lib/shares/resolve";
import { createShare } from "@/lib/shares/service";
import { seedSignedOffAnalysis } from "@/test/support/shares";
import { hasStored, putStored, type StoredKind } from "@/lib/storage/content-store";
import { appErrorOf } from "@/test/support/app-error";
import { seedAnalysis, seedUser } from "@/test/support/triage/seed";

const DAY = 24 * 60 * 60 * 1000;
const RULES: RetentionRules = { originalsDays: 7, renderingsDays: 30, analysesDays: 35 };
const FILE_KINDS: StoredKind[] = ["original", "display", "thumbnail"];

async function shaOf(analysisId: string): Promise<string> {
  const [row] = await db.select({ sha: analyses.imageSha256 }).from(analyses).where(eq(analyses.id, analysisId));
  return row.sha;
}

async function storeFiles(sha: string): Promise<void> {
  for (const kind of FILE_KINDS) await putStored(kind, sha, crypto.randomBytes(64));
}

async function age(analysisId: string, now: Date, days: number): Promise<void> {
  await db.update(analyses).set({ createdAt: new Date(now.getTime() - days * DAY) }).where(eq(analyses.id, analysisId));
}

async function stored(sha: string): Promise<Record<string, boolean>> {
  return Object.fromEntries(await Promise.all(FILE_KINDS.map(async (k) => [k, await hasStored(k, sha)] as const)));
}

async function analysisAged(reader: Principal, now: Date, days: number, studyId?: string): Promise<{ id: string; sha: string }> {
  const id = await seedAnalysis({ uploadedBy: reader.userId, studyId });
  const sha = await shaOf(id);
  await storeFiles(sha);
  await age(id, now, days);
  return { id, sha };
}

export function retentionScenario(): void {
  it("removes exactly what the rules make due, as the dry run counted, and never what a hold covers", async () => {
    const now = new Date(Date.now() + 3 * DAY);
    const reader = await seedUser("radiologist");
    const admin = await seedUser("admin");

    const originalOnly = await analysisAged(reader, now, 20);
    // Signed off with a share link, then aged past the renderings rule: findings, PDF and FHIR stay.
    const { analysisId: reportedId } = await seedSignedOffAnalysis(reader);
    const reported = { id: reportedId, sha: await shaOf(reportedId) };
    await storeFiles(reported.sha);
    await age(reported.id, now, 32);
    // Past every rule, with a patient's share link.
    const { analysisId: expiredId } = await seedSignedOffAnalysis(reader);
    const expired = { id: expiredId, sha: await shaOf(expiredId) };
    await storeFiles(expired.sha);
    const share = await createShare({ actor: reader, analysisId: expired.id, input: {}, baseUrl: "https://cxr.example.test" });
    await age(expired.id, now, 40);
    const recent = await analysisAged(reader, now, 2);

    const heldStudy = await analysisAged(reader, now, 40);
    const [heldStudyRow] = await db.select({ studyId: analyses.studyId }).from(analyses).where(eq(analyses.id, heldStudy.id));
    await placeHold(admin, { studyId: heldStudyRow.studyId }, "Litigation ticket LH-1");
    // A held patient: the hold names one study's patient link, and covers their other studies too.
    const link = `link-${crypto.randomBytes(8).toString("hex")}`;
    const [s1] = await db.insert(studies).values({ patientLink: link }).returning();
    const [s2] = await db.insert(studies).values({ patientLink: link }).returning();
    const heldPatient = await analysisAged(reader, now, 40, s2.id);
    await placeHold(admin, { patientLink: link }, "Complaint ticket LH-2");
    expect(s1.id).not.toBe(s2.id);

    // One image, two uploads: an old and a recent one. The recent one keeps the original.
    const sharedOld = await analysisAged(reader, now, 20);
    const sharedRecent = await seedAnalysis({ uploadedBy: reader.userId });
    const throwaway = await shaOf(sharedRecent);
    await db.update(analyses).set({ imageSha256: sharedOld.sha }).where(eq(analyses.id, sharedRecent));
    await db.delete(images).where(eq(images.sha256, throwaway));

    const plan = await planRetention(now, RULES);
    expect(plan).toEqual({ originals: 3, renderings: 2, analyses: 1 });
    const done = await runRetention(now, { rules: RULES, actor: admin });
    expect(done).toEqual(plan);
    expect(await planRetention(now, RULES)).toEqual({ originals: 0, renderings: 0, analyses: 0 });

    expect(await stored(originalOnly.sha)).toEqual({ original: false, display: true, thumbnail: true });
    expect(await stored(reported.sha)).toEqual({ original: false, display: false, thumbnail: false });
    expect(await stored(expired.sha)).toEqual({ original: false, display: false, thumbnail: false });
    for (const kept of [recent, heldStudy, heldPatient, sharedOld]) {
      expect(await stored(kept.sha)).toEqual({ original: true, display: true, thumbnail: true });
    }
    expect(await db.select().from(analyses).where(eq(analyses.id, expired.id))).toHaveLength(0);
    expect(await db.select().from(images).where(eq(images.sha256, expired.sha))).toHaveLength(0);
    expect((await appErrorOf(resolveShareToken(new URL(share.url).pathname.split("/").pop()!))).status).toBe(410);

    // Every removal is audited by analysis id.
    const audited = await db.select().from(auditEvents).where(eq(auditEvents.actorUserId, admin.userId));
    const actions = audited.filter((e) => e.action.startsWith("retention.")).map((e) => `${e.action} ${e.targetId}`);
    expect(actions).toEqual(
      expect.arrayContaining([
        `retention.remove_original ${originalOnly.id}`,
        `retention.remove_original ${reported.id}`,
        `retention.remove_renderings ${reported.id}`,
        `retention.remove_analysis ${expired.id}`,
      ]),
    );

    // What an analysis whose image is gone answers: the image 410 with a reason, the rest as before.
    const imageError = await appErrorOf(renderingResponse(reader, reported.id, "display"));
    expect(imageError.status).toBe(410);
    expect(imageError.message).toMatch(/removed on \d{4}-\d{2}-\d{2} under the site's retention rules/);
    expect((await renderingResponse(reader, originalOnly.id, "display")).status).toBe(200);
    const v1 = await getV1Analysis(reader, reported.id);
    expect(v1.findings).toHaveLength(18);
    expect(v1.image.originalRemovedAt).toBe(now.toISOString());
    expect(v1.image.renderingsRemovedAt).toBe(now.toISOString());
    const report = (await loadReportData(reported.id))!;
    expect(report).not.toBeNull();
    const pdf = await reportPdf(report, "staff");
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    expect((buildFhirBundle(report) as { entry: unknown[] }).entry.length).toBeGreaterThan(1);
  });
}
