// Integration: the review lifecycle on PostgreSQL — drafts, sign-off locking, amendment history, audit.
import { and, asc, eq, like } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/core/errors";
import { db } from "@/lib/db/client";
import { analyses, auditEvents, reviews } from "@/lib/db/schema";
import { loadReportDraft } from "@/lib/reports/load-draft";
import { seedAnalysis, seedUser, XRV_LABELS } from "@/test/support/triage/seed";
import { amendReview, getReviewState, saveReviewDraft, signOffReview } from "./service";
import { appErrorOf } from "@/test/support/app-error";

const allAgree = () => Object.fromEntries(XRV_LABELS.map((l) => [l, "agree" as const]));

describe("review service on PostgreSQL", () => {
  it("drafts, signs off, locks, and amends with the earlier version kept", async () => {
    const uploader = await seedUser("radiologist", "Uploader");
    const alice = await seedUser("radiologist", "Dr Alice");
    const bob = await seedUser("radiologist", "Dr Bob");
    const analysisId = await seedAnalysis({
      uploadedBy: uploader.userId,
      scores: { Effusion: 0.8, Pneumothorax: 0.3 },
      accessionNumber: "ACC-REV-1",
    });

    // Draft: in review, partial decisions are fine.
    let state = await saveReviewDraft({
      actor: alice,
      analysisId,
      input: { decisions: { Effusion: "disagree" }, addedFindings: [], impression: "draft" },
    });
    expect(state.status).toBe("in_review");
    expect(state.versions).toHaveLength(1);
    expect(state.versions[0]).toMatchObject({ version: 1, signedOffAt: null, decisions: { Effusion: "disagree" } });

    // Sign-off needs a decision on every finding.
    const incomplete = await appErrorOf(
      signOffReview({ actor: alice, analysisId, input: { decisions: { Effusion: "disagree" }, addedFindings: [], impression: "" } }),
    );
    expect(incomplete.status).toBe(422);
    expect(incomplete.message).toMatch(/Decide on every finding before signing off: Atelectasis/);

    // Nodule has no decision: adding it as a missed finding decides it.
    const signed: Record<string, "agree" | "disagree"> = { ...allAgree(), Effusion: "disagree" };
    delete signed.Nodule;
    state = await signOffReview({
      actor: alice,
      analysisId,
      input: { decisions: signed, addedFindings: ["Nodule", "Rib fracture, left 5th"], impression: "No effusion. Small nodule." },
    });
    expect(state.status).toBe("signed_off");
    expect(state.versions).toHaveLength(1);
    const v1 = state.versions[0];
    expect(v1.reviewer.name).toBe("Dr Alice");
    expect(v1.signedOffAt).not.toBeNull();
    // An added model label counts as disagreeing with the model's negative call.
    expect(v1.decisions.Nodule).toBe("disagree");
    expect(v1.addedFindings).toEqual(["Nodule", "Rib fracture, left 5th"]);

    // Locked: no draft edit, no second sign-off.
    const edit = await appErrorOf(saveReviewDraft({ actor: bob, analysisId, input: { decisions: {}, addedFindings: [], impression: "x" } }));
    expect(edit.status).toBe(409);
    expect(edit.extra.subcode).toBe("review_locked");
    expect((await appErrorOf(signOffReview({ actor: bob, analysisId, input: { decisions: signed, addedFindings: [], impression: "" } }))).status).toBe(409);

    // Amendment: needs a reason and the version it was based on.
    const stale = await appErrorOf(
      amendReview({ actor: bob, analysisId, input: { decisions: allAgree(), addedFindings: [], impression: "Effusion present.", reason: "Second read", baseVersion: 7 } }),
    );
    expect(stale.extra.subcode).toBe("review_changed");
    state = await amendReview({
      actor: bob,
      analysisId,
      input: { decisions: allAgree(), addedFindings: [], impression: "Small effusion present.", reason: "Second read: effusion seen on lateral", baseVersion: 1 },
    });
    expect(state.status).toBe("signed_off");
    expect(state.versions.map((v) => v.version)).toEqual([2, 1]);
    expect(state.versions[0]).toMatchObject({
      reviewer: { name: "Dr Bob" },
      amendmentReason: "Second read: effusion seen on lateral",
      impression: "Small effusion present.",
    });
    expect(state.versions[0].signedOffAt).not.toBeNull();
    // The earlier version is untouched.
    expect(state.versions[1]).toMatchObject({ reviewer: { name: "Dr Alice" }, impression: "No effusion. Small nodule.", decisions: v1.decisions });
    expect(state.versions[1].signedOffAt).toBe(v1.signedOffAt);

    const stored = await db.select().from(reviews).where(eq(reviews.analysisId, analysisId)).orderBy(asc(reviews.version));
    expect(stored.map((r) => [r.version, r.reviewerId])).toEqual([
      [1, alice.userId],
      [2, bob.userId],
    ]);

    // Every step is audited with who did it; free text stays out of the log.
    const audits = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.targetId, analysisId), like(auditEvents.action, "review.%")))
      .orderBy(asc(auditEvents.id));
    expect(audits.map((a) => [a.action, a.actorUserId])).toEqual([
      ["review.save_draft", alice.userId],
      ["review.sign_off", alice.userId],
      ["review.amend", bob.userId],
    ]);
    expect(audits[2].details).toMatchObject({ version: 2, amendsVersion: 1, changedLabels: ["Effusion", "Nodule"] });
    expect(JSON.stringify(audits.map((a) => a.details))).not.toMatch(/Rib fracture|effusion seen/);

    // The report draft comes from the current signed-off version.
    const report = await loadReportDraft(analysisId);
    expect(report).toContain("Accession: ACC-REV-1");
    expect(report).toContain("- Effusion: present (AI 0.80, confirmed).");
    expect(report).toContain("Small effusion present.");
    expect(report).toContain("Signed off by Dr Bob");
    expect(report).toContain("amended: Second read: effusion seen on lateral");
    expect(report).toContain("UNTRAINED DEMONSTRATION MODEL");
  });

  it("rejects reviews that contradict the findings", async () => {
    const r = await seedUser("radiologist");
    const analysisId = await seedAnalysis({ uploadedBy: r.userId, scores: { Effusion: 0.8 } });
    const unknown = await appErrorOf(
      saveReviewDraft({ actor: r, analysisId, input: { decisions: { Pneumoperitoneum: "agree" }, addedFindings: [], impression: "" } }),
    );
    expect(unknown.status).toBe(422);
    const alreadyCalled = await appErrorOf(
      saveReviewDraft({ actor: r, analysisId, input: { decisions: {}, addedFindings: ["effusion"], impression: "" } }),
    );
    expect(alreadyCalled.message).toMatch(/already calls Effusion/);
    const contradictory = await appErrorOf(
      saveReviewDraft({ actor: r, analysisId, input: { decisions: { Mass: "agree" }, addedFindings: ["Mass"], impression: "" } }),
    );
    expect(contradictory.status).toBe(422);
    // Nothing was written by the refused requests.
    expect(await db.select().from(reviews).where(eq(reviews.analysisId, analysisId))).toHaveLength(0);
    expect((await db.select().from(analyses).where(eq(analyses.id, analysisId)))[0].reviewStatus).toBe("unreviewed");
  });

  it("does not review unfinished or unknown analyses, and cannot amend a draft", async () => {
    const r = await seedUser("radiologist");
    const processing = await seedAnalysis({ uploadedBy: r.userId, status: "processing" });
    const input = { decisions: {}, addedFindings: [], impression: "" };
    expect((await appErrorOf(saveReviewDraft({ actor: r, analysisId: processing, input }))).extra.subcode).toBe("analysis_not_completed");
    expect((await appErrorOf(getReviewState("00000000-0000-4000-8000-000000000000"))).status).toBe(404);
    const done = await seedAnalysis({ uploadedBy: r.userId });
    await saveReviewDraft({ actor: r, analysisId: done, input });
    const amend = await appErrorOf(amendReview({ actor: r, analysisId: done, input: { ...input, reason: "why not", baseVersion: 1 } }));
    expect(amend.extra.subcode).toBe("review_not_signed_off");
    expect(await loadReportDraft(done)).toBeNull();
  });

  it("serialises concurrent sign-offs: exactly one wins", async () => {
    const a = await seedUser("radiologist");
    const b = await seedUser("radiologist");
    const analysisId = await seedAnalysis({ uploadedBy: a.userId });
    const input = { decisions: allAgree(), addedFindings: [], impression: "Normal." };
    const results = await Promise.allSettled([
      signOffReview({ actor: a, analysisId, input }),
      signOffReview({ actor: b, analysisId, input }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const rejected = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect((rejected.reason as AppError).extra.subcode).toBe("review_locked");
    expect(await db.select().from(reviews).where(eq(reviews.analysisId, analysisId))).toHaveLength(1);
  });
});
