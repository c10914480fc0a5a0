// Integration: the audit log names each kind of target a person would look for (a validation set, a share,
// a legal hold beside users, analyses and keys) instead of showing a bare UUID; a target since deleted
// keeps its id.
import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import { recordAudit } from "@/lib/audit/record";
import { AuditFilters } from "@/lib/audit/input";
import { queryAudit } from "@/lib/audit/query";
import { db } from "@/lib/db/client";
import { legalHolds, shares, validationSets } from "@/lib/db/schema";
import { seedAnalysis, seedUser } from "@/test/support/triage/seed";

describe("audit target names", () => {
  it("names validation sets, shares and legal holds", async () => {
    const admin = await seedUser("admin", "Audit namer");
    const analysisId = await seedAnalysis({ uploadedBy: admin.userId, fileName: "chest-pa.png" });
    const [set] = await db.insert(validationSets).values({ name: "Site set 2026", source: "upload", createdBy: admin.userId, labels: ["Effusion"] }).returning();
    const [share] = await db
      .insert(shares)
      .values({ analysisId, tokenHash: crypto.randomBytes(16).toString("hex"), createdBy: admin.userId, expiresAt: new Date(Date.now() + 86_400_000) })
      .returning();
    const [hold] = await db.insert(legalHolds).values({ reason: "Case 2026-17", createdBy: admin.userId }).returning();
    const gone = crypto.randomUUID();
    await recordAudit({ actor: admin, action: "validation.create", targetType: "validation_set", targetId: set.id });
    await recordAudit({ actor: admin, action: "share.create", targetType: "share", targetId: share.id });
    await recordAudit({ actor: admin, action: "legal_hold.place", targetType: "legal_hold", targetId: hold.id });
    await recordAudit({ actor: admin, action: "share.revoke", targetType: "share", targetId: gone });

    const { rows } = await queryAudit(AuditFilters.parse({ actor: admin.userId, limit: 10 }));
    const named = Object.fromEntries(rows.map((r) => [r.action, r.targetName]));
    expect(named).toEqual({
      "validation.create": "Site set 2026",
      "share.create": "share of chest-pa.png",
      "legal_hold.place": "hold: Case 2026-17",
      "share.revoke": null,
    });
    expect(rows.find((r) => r.action === "share.revoke")?.targetId).toBe(gone);
  });
});
