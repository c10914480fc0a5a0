// Integration (real PostgreSQL): share links from creation to expiry, revocation and access codes.
import { and, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { Principal } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import { auditEvents, shares } from "@/lib/db/schema";
import { seedAnalysis, seedUser } from "@/test/support/triage/seed";
import { verifyShareAccess } from "./access-cookie";
import { listReportsForRecipient, requireRecipientShare } from "./recipient";
import { resolveShareToken } from "./resolve";
import { createShare, listActiveShares, revokeShare } from "./service";
import { seedSignedOffAnalysis } from "@/test/support/shares";
import { hashShareToken } from "./token";
import { ACCESS_CODE_MAX_PER_ADDRESS, unlockShare } from "./unlock";
import { appErrorOf } from "@/test/support/app-error";
import { fromAddress } from "@/test/support/principals";

const BASE = "https://cxr.example.test";
const tokenOf = (url: string) => new URL(url).pathname.split("/").pop()!;
const from = (ip: string) => new Headers({ ...fromAddress(ip), "user-agent": "vitest" });

describe("share links", () => {
  let reader: Principal;
  let analysisId: string;

  beforeAll(async () => {
    ({ reader, analysisId } = await seedSignedOffAnalysis());
  });

  it("refuses to share an analysis before its review is signed off (409), and patients cannot share", async () => {
    const unsigned = await seedAnalysis({ uploadedBy: reader.userId, scores: { Effusion: 0.8 } });
    const error = await appErrorOf(createShare({ actor: reader, analysisId: unsigned, input: {}, baseUrl: BASE }));
    expect(error.status).toBe(409);
    expect(error.extra.subcode).toBe("not_signed_off");
    const patient = await seedUser("patient");
    expect((await appErrorOf(createShare({ actor: patient, analysisId, input: {}, baseUrl: BASE }))).status).toBe(403);
    expect((await appErrorOf(createShare({ actor: reader, analysisId: "nope", input: {}, baseUrl: BASE }))).status).toBe(404);
    expect(await db.select().from(shares).where(eq(shares.analysisId, unsigned))).toHaveLength(0);
  });

  it("stores only the token's hash and the code's argon2 hash; the link is long and random", async () => {
    const created = await createShare({
      actor: reader,
      analysisId,
      input: { accessCode: "tulip-4821", recipientEmail: "Pat@Example.org" },
      baseUrl: BASE,
    });
    const token = tokenOf(created.url);
    expect(created.url).toBe(`${BASE}/share/${token}`);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const [row] = await db.select().from(shares).where(eq(shares.id, created.share.id));
    expect(row.tokenHash).toBe(hashShareToken(token));
    expect(row.accessCodeHash).toMatch(/^\$argon2id\$/);
    expect(row.recipientEmail).toBe("pat@example.org");
    // Neither secret appears anywhere in the row, nor in the audit log.
    expect(JSON.stringify(row)).not.toContain(token);
    expect(JSON.stringify(row)).not.toContain("tulip-4821");
    const audit = await db.execute(sql`select count(*)::int as n from audit_events where (details::text || coalesce(target_id, '')) like ${"%" + token + "%"}`);
    expect((audit[0] as { n: number }).n).toBe(0);
    // Default expiry: 30 days.
    const days = (row.expiresAt.getTime() - row.createdAt.getTime()) / 86_400_000;
    expect(days).toBeGreaterThan(29.99);
    expect(days).toBeLessThan(30.01);
    expect(created.share).toMatchObject({ hasAccessCode: true, recipientEmail: "pat@example.org", createdBy: "Dr Share Reader" });
    const [event] = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "share.create"), eq(auditEvents.targetId, created.share.id)));
    expect(event.details).toMatchObject({ analysisId, expiresInDays: 30, accessCode: true, recipient: true });
  });

  it("resolves a live token; unknown, malformed and revoked links are 404, expired ones 410", async () => {
    const created = await createShare({ actor: reader, analysisId, input: { expiresInDays: 7 }, baseUrl: BASE });
    const token = tokenOf(created.url);
    expect((await resolveShareToken(token)).id).toBe(created.share.id);
    expect((await appErrorOf(resolveShareToken("A".repeat(43)))).status).toBe(404);
    expect((await appErrorOf(resolveShareToken("short"))).status).toBe(404);

    const listed = await listActiveShares(reader, analysisId);
    expect(listed.map((s) => s.id)).toContain(created.share.id);

    await revokeShare({ actor: reader, shareId: created.share.id });
    expect((await appErrorOf(resolveShareToken(token))).status).toBe(404);
    expect((await listActiveShares(reader, analysisId)).map((s) => s.id)).not.toContain(created.share.id);
    await revokeShare({ actor: reader, shareId: created.share.id }); // idempotent
    expect((await appErrorOf(revokeShare({ actor: reader, shareId: crypto.randomUUID() }))).status).toBe(404);

    const old = await createShare({ actor: reader, analysisId, input: {}, baseUrl: BASE });
    await db.update(shares).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(shares.id, old.share.id));
    const gone = await appErrorOf(resolveShareToken(tokenOf(old.url)));
    expect(gone.status).toBe(410);
    expect((await listActiveShares(reader, analysisId)).map((s) => s.id)).not.toContain(old.share.id);
    const revokes = await db.select().from(auditEvents).where(and(eq(auditEvents.action, "share.revoke"), eq(auditEvents.targetId, created.share.id)));
    expect(revokes).toHaveLength(1);
  });

  it("refuses wrong access codes, then rate-limits per share and address with a retry time", async () => {
    const created = await createShare({ actor: reader, analysisId, input: { accessCode: "heron-7730" }, baseUrl: BASE });
    const token = tokenOf(created.url);
    const attacker = from("203.0.113.7");
    for (let i = 1; i <= ACCESS_CODE_MAX_PER_ADDRESS; i++) {
      const wrong = await appErrorOf(unlockShare({ token, code: `guess-${i}`, headers: attacker }));
      expect(wrong.status).toBe(403);
      expect(wrong.extra.subcode).toBe("wrong_access_code");
      expect(wrong.extra.detail).toEqual({ attemptsLeft: ACCESS_CODE_MAX_PER_ADDRESS - i });
    }
    // Locked for this address, even with the right code: a limit that still checks would leak it.
    const limited = await appErrorOf(unlockShare({ token, code: "heron-7730", headers: attacker }));
    expect(limited.status).toBe(429);
    expect(limited.extra.retryAfterSeconds).toBeGreaterThan(14 * 60);
    expect(limited.extra.retryAfterSeconds).toBeLessThanOrEqual(15 * 60);

    // The patient, from another address, still gets in; the cookie opens this share only.
    const unlocked = await unlockShare({ token, code: " heron-7730 ", headers: from("198.51.100.20") });
    expect(verifyShareAccess(unlocked.value, created.share.id)).toBe(true);
    expect(verifyShareAccess(unlocked.value, crypto.randomUUID())).toBe(false);
    expect(verifyShareAccess(unlocked.value.replace(/.$/, (c) => (c === "A" ? "B" : "A")), created.share.id)).toBe(false);
    expect(unlocked.maxAge).toBeGreaterThan(0);

    const events = await db
      .select({ action: auditEvents.action, ip: auditEvents.ip })
      .from(auditEvents)
      .where(eq(auditEvents.targetId, created.share.id));
    const count = (a: string) => events.filter((e) => e.action === a).length;
    expect(count("share.access_code_failed")).toBe(ACCESS_CODE_MAX_PER_ADDRESS);
    expect(count("share.access_code_rate_limited")).toBe(1);
    expect(count("share.unlock")).toBe(1);
  });

  it("caps guesses per share across addresses, so rotating addresses does not help", async () => {
    const created = await createShare({ actor: reader, analysisId, input: { accessCode: "maple-1188" }, baseUrl: BASE });
    const token = tokenOf(created.url);
    let refused = 0;
    for (let i = 0; i < 25; i++) {
      const e = await appErrorOf(unlockShare({ token, code: "wrong-code", headers: from(`192.0.2.${i + 1}`) }));
      if (e.status === 429) refused++;
    }
    expect(refused).toBe(5); // the share-wide cap is 20 attempts per window
  });

  it("shows a patient account only the reports addressed to its email", async () => {
    const patient = await seedUser("patient", "Pat Recipient");
    const other = await seedUser("patient", "Someone Else");
    const mine = await createShare({ actor: reader, analysisId, input: { recipientEmail: patient.email.toUpperCase() }, baseUrl: BASE });
    const list = await listReportsForRecipient(patient);
    expect(list.map((r) => r.shareId)).toEqual([mine.share.id]);
    expect(list[0].signedOffAt).not.toBeNull();
    expect(await listReportsForRecipient(other)).toEqual([]);
    expect((await requireRecipientShare(patient, mine.share.id)).analysisId).toBe(analysisId);
    expect((await appErrorOf(requireRecipientShare(other, mine.share.id))).status).toBe(404);
    await revokeShare({ actor: reader, shareId: mine.share.id });
    expect(await listReportsForRecipient(patient)).toEqual([]);
  });
});
