// Integration (real PostgreSQL): who sees which analysis through lib/analyses/queries. Staff see the
// team's analyses; a patient sees only analyses with an active share addressed to their email (case
// does not matter); revoked, expired and other people's shares show nothing, and hidden is a 404.
import crypto from "node:crypto";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getAnalysisDetail, getVisibleImageSha, listHistory } from "@/lib/analyses/queries";
import type { Principal } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import { shares } from "@/lib/db/schema";
import { seedAnalysis, seedUser } from "@/test/support/triage/seed";

const day = 24 * 3600 * 1000;

async function share(analysisId: string, createdBy: string, recipientEmail: string, opts: { expiresIn?: number; revoked?: boolean } = {}) {
  const [s] = await db
    .insert(shares)
    .values({
      analysisId,
      tokenHash: crypto.randomBytes(32).toString("hex"),
      recipientEmail,
      createdBy,
      expiresAt: new Date(Date.now() + (opts.expiresIn ?? 30 * day)),
      revokedAt: opts.revoked ? new Date() : null,
    })
    .returning();
  return s;
}

async function status(p: Promise<unknown>): Promise<string> {
  return p.then(
    () => "visible",
    (e: { code?: string }) => e.code ?? "error",
  );
}

describe("analysis visibility", () => {
  let radiologist: Principal;
  let admin: Principal;
  let patient: Principal;
  let other: Principal;
  let shared: string;
  let revoked: string;
  let expired: string;
  let unshared: string;

  beforeAll(async () => {
    radiologist = await seedUser("radiologist");
    admin = await seedUser("admin");
    patient = await seedUser("patient");
    other = await seedUser("patient");
    [shared, revoked, expired, unshared] = await Promise.all([0, 1, 2, 3].map(() => seedAnalysis({ uploadedBy: radiologist.userId })));
    await share(shared, radiologist.userId, patient.email.toUpperCase());
    await share(revoked, radiologist.userId, patient.email, { revoked: true });
    await share(expired, radiologist.userId, patient.email, { expiresIn: -60_000 });
    await share(unshared, radiologist.userId, other.email);
  });

  it("staff see every analysis of the team", async () => {
    for (const who of [radiologist, admin]) {
      for (const id of [shared, revoked, expired, unshared]) expect(await status(getAnalysisDetail(who, id))).toBe("visible");
    }
  });

  it("a patient sees only the analysis with an active share to their address", async () => {
    expect(await status(getAnalysisDetail(patient, shared))).toBe("visible");
    expect(await status(getVisibleImageSha(patient, shared))).toBe("visible");
    for (const id of [revoked, expired, unshared]) {
      expect(await status(getAnalysisDetail(patient, id))).toBe("not_found");
      expect(await status(getVisibleImageSha(patient, id))).toBe("not_found");
    }
    const history = await listHistory(patient, 1, 100);
    expect(history.items.map((i) => i.id)).toEqual([shared]);
    expect(history.total).toBe(1);
  });

  it("revoking the share hides the analysis again; malformed and unknown ids are 404 for everyone", async () => {
    await db.update(shares).set({ revokedAt: new Date() }).where(eq(shares.analysisId, shared));
    expect(await status(getAnalysisDetail(patient, shared))).toBe("not_found");
    expect((await listHistory(patient)).total).toBe(0);
    expect(await status(getAnalysisDetail(radiologist, "not-a-uuid"))).toBe("not_found");
    expect(await status(getAnalysisDetail(radiologist, crypto.randomUUID()))).toBe("not_found");
  });
});
