// Integration: triage levels written to PostgreSQL at creation and after a threshold change.
import { afterAll, vi } from "vitest";

// Changes the site thresholds (global state) and re-triages every study: a database of its own.
const dropDb = await vi.hoisted(async () => (await import("@/test/support/isolated-database")).useIsolatedDatabase());
afterAll(() => dropDb());

import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { analyses, auditEvents } from "@/lib/db/schema";
import { AppError } from "@/lib/core/errors";
import { applyTriage } from "./apply";
import { updateTriageThresholds, triageSettingsView } from "./settings-service";
import { getTriageThresholds } from "./thresholds";
import { seedAnalysis, seedUser } from "@/test/support/triage/seed";

const levelOf = async (id: string) =>
  (await db.select({ l: analyses.triageLevel }).from(analyses).where(eq(analyses.id, id)))[0].l;

describe("triage on PostgreSQL", () => {
  it("stores the level when an analysis is created, from findings and quality gates", async () => {
    const u = await seedUser("radiologist");
    const critical = await seedAnalysis({ uploadedBy: u.userId, scores: { Pneumothorax: 0.71, Effusion: 0.6 } });
    const abnormal = await seedAnalysis({ uploadedBy: u.userId, scores: { Effusion: 0.6 } });
    const normal = await seedAnalysis({ uploadedBy: u.userId });
    const lateral = await seedAnalysis({
      uploadedBy: u.userId,
      scores: { Pneumothorax: 0.9 },
      warnings: [{ code: "non_frontal_view", message: "View position is LL, not a frontal (PA/AP) view." }],
    });
    const failed = await seedAnalysis({ uploadedBy: u.userId, status: "failed" });
    expect(await levelOf(critical)).toBe("critical");
    expect(await levelOf(abnormal)).toBe("abnormal");
    expect(await levelOf(normal)).toBe("normal");
    expect(await levelOf(lateral)).toBe("not_assessable");
    expect(await levelOf(failed)).toBe("not_assessable");
    const result = await applyTriage(critical);
    expect(result.reasons[0]).toBe("Critical finding: Pneumothorax 0.71 ≥ threshold 0.50.");
  });

  it("re-triages stored studies when an admin changes a threshold, and audits it", async () => {
    const admin = await seedUser("admin");
    // Hernia is used here only, so concurrent test files that rely on the default rules are unaffected.
    const id = await seedAnalysis({ uploadedBy: admin.userId, scores: { Hernia: 0.42 } });
    expect(await levelOf(id)).toBe("normal");

    const lowered = await updateTriageThresholds({ actor: admin, changes: { Hernia: 0.4 } });
    expect(await levelOf(id)).toBe("abnormal");
    expect(lowered.recomputed.changed).toBeGreaterThanOrEqual(1);
    expect(lowered.labels.find((l) => l.label === "Hernia")).toEqual({ label: "Hernia", threshold: 0.4, isDefault: false });
    expect((await getTriageThresholds()).Hernia).toBe(0.4);

    await updateTriageThresholds({ actor: admin, changes: { Hernia: null } });
    expect(await levelOf(id)).toBe("normal");
    expect((await triageSettingsView()).labels.find((l) => l.label === "Hernia")?.isDefault).toBe(true);

    const audits = await db.select().from(auditEvents).where(eq(auditEvents.actorUserId, admin.userId));
    expect(audits.map((a) => a.action)).toEqual(["settings.triage_thresholds", "settings.triage_thresholds"]);
    expect(audits[0].details).toMatchObject({ changed: { Hernia: { from: 0.5, to: 0.4 } } });
  });

  it("refuses thresholds for labels the model does not report", async () => {
    const admin = await seedUser("admin");
    await seedAnalysis({ uploadedBy: admin.userId });
    const error = await updateTriageThresholds({ actor: admin, changes: { Pneumoperitoneum: 0.3 } }).catch((e) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).status).toBe(422);
    expect((error as AppError).message).toMatch(/Unknown finding label: Pneumoperitoneum/);
  });
});
