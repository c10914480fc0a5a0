// Integration: statistics over PostgreSQL, checked against hand-computed values. Everything is scoped to
// this file's own uploader, so tests running in parallel against the same database do not interfere.
import { describe, expect, it, beforeAll } from "vitest";
import type { Principal } from "@/lib/auth/principal";
import { amendReview, saveReviewDraft, signOffReview } from "@/lib/reviews/service";
import { seedAnalysis, seedUser, XRV_LABELS } from "@/test/support/triage/seed";
import { chartCsv } from "./charts";
import { agreementPerFinding, findingPrevalence, processingTimes, triageMix, volumePerDay } from "./queries";

const allAgree = () => Object.fromEntries(XRV_LABELS.map((l) => [l, "agree" as const]));

describe("statistics on PostgreSQL", () => {
  let uploader: Principal;

  beforeAll(async () => {
    uploader = await seedUser("radiologist", "Stats uploader");
    const reader = await seedUser("radiologist", "Stats reader");
    const u = uploader.userId;
    const a1 = await seedAnalysis({ uploadedBy: u, scores: { Effusion: 0.8, Pneumothorax: 0.7 } });
    const a2 = await seedAnalysis({ uploadedBy: u, scores: { Effusion: 0.6 }, timings: { total: 1500, inference: 1200 } });
    const a3 = await seedAnalysis({ uploadedBy: u });
    const a4 = await seedAnalysis({ uploadedBy: u, scores: { Effusion: 0.9 } });
    const a5 = await seedAnalysis({ uploadedBy: u, scores: { Effusion: 0.55 } });
    await seedAnalysis({ uploadedBy: u, status: "failed", createdAt: new Date(Date.now() - 2 * 86_400_000) });

    const sign = (analysisId: string, decisions: Record<string, "agree" | "disagree">, addedFindings: string[] = []) =>
      signOffReview({ actor: reader, analysisId, input: { decisions, addedFindings, impression: "" } });
    await sign(a1, { ...allAgree(), Effusion: "disagree" }); // Effusion FP, Pneumothorax TP
    await sign(a2, allAgree()); // Effusion TP
    const a3Decisions: Record<string, "agree" | "disagree"> = { ...allAgree(), Mass: "disagree" };
    delete a3Decisions.Effusion;
    await sign(a3, a3Decisions, ["Effusion"]); // Effusion FN (added), Mass FN
    await saveReviewDraft({ actor: reader, analysisId: a4, input: { decisions: { Effusion: "disagree" }, addedFindings: [], impression: "" } }); // draft: ignored
    await sign(a5, allAgree()); // then amended: Effusion FP counts, not the first version's TP
    await amendReview({
      actor: reader,
      analysisId: a5,
      input: { decisions: { ...allAgree(), Effusion: "disagree" }, addedFindings: [], impression: "", reason: "Re-read", baseVersion: 1 },
    });
  });

  it("computes sensitivity and specificity per finding from the current signed-off reviews", async () => {
    const rows = await agreementPerFinding({ uploader: uploader.userId });
    const by = (label: string) => rows.find((r) => r.label === label)!;
    // Effusion: TP a2; FP a1, a5 (amended); FN a3 (added); the a4 draft is not counted.
    expect(by("Effusion")).toMatchObject({ tp: 1, fp: 2, fn: 1, tn: 0, n: 4, sensitivity: 0.5, specificity: 0 });
    // Pneumothorax: TP a1; TN a2, a3, a5.
    expect(by("Pneumothorax")).toMatchObject({ tp: 1, fp: 0, fn: 0, tn: 3, sensitivity: 1, specificity: 1 });
    // Mass: FN a3; TN a1, a2, a5.
    expect(by("Mass")).toMatchObject({ tp: 0, fp: 0, fn: 1, tn: 3, sensitivity: 0, specificity: 1 });
    expect(by("Atelectasis")).toMatchObject({ tn: 4, sensitivity: null, specificity: 1 });
    expect(rows.map((r) => r.label).slice(0, 4)).toEqual(["Atelectasis", "Consolidation", "Infiltration", "Pneumothorax"]);
  });

  it("counts volume per day with empty days filled, the triage mix and prevalence", async () => {
    const volume = await volumePerDay({ uploader: uploader.userId });
    expect(volume).toHaveLength(3);
    expect(volume.map((v) => v.total)).toEqual([1, 0, 5]);
    expect(volume[0]).toMatchObject({ failed: 1, completed: 0 });
    expect(volume[2].day).toBe(new Date().toISOString().slice(0, 10));

    expect(await triageMix({ uploader: uploader.userId })).toEqual([
      { level: "critical", count: 1 },
      { level: "abnormal", count: 3 },
      { level: "normal", count: 1 },
      { level: "not_assessable", count: 1 },
    ]);
    // Only the last day: the failed study from two days ago drops out.
    expect((await triageMix({ uploader: uploader.userId, days: 1 })).find((r) => r.level === "not_assessable")?.count).toBe(0);

    const prevalence = await findingPrevalence({ uploader: uploader.userId });
    expect(prevalence.find((p) => p.label === "Effusion")).toEqual({ label: "Effusion", positive: 4, total: 5, rate: 0.8 });
    expect(prevalence.find((p) => p.label === "Pneumothorax")).toMatchObject({ positive: 1, rate: 0.2 });
  });

  it("bins processing times and exports every chart as CSV", async () => {
    const times = await processingTimes({ uploader: uploader.userId });
    expect(times.find((t) => t.bucket === "0.25 s – 0.5 s")?.count).toBe(4); // 40+20+300+30+10 ms
    expect(times.find((t) => t.bucket === "1 s – 2 s")?.count).toBe(1); // stored total 1500 ms
    expect(times.reduce((a, t) => a + t.count, 0)).toBe(5);

    const csv = await chartCsv("agreement", { uploader: uploader.userId });
    const lines = csv.trimEnd().split("\r\n");
    expect(lines[0]).toBe(
      "finding,true_positive,false_positive,false_negative,true_negative,reviewed,sensitivity,sensitivity_ci95_low,sensitivity_ci95_high,specificity,specificity_ci95_low,specificity_ci95_high",
    );
    expect(lines.find((l) => l.startsWith("Effusion,"))).toMatch(/^Effusion,1,2,1,0,4,0\.5,0\.0945,0\.9055,0,0,0\.6576$/);
    expect(await chartCsv("triage", { uploader: uploader.userId })).toBe(
      "triage_level,studies\r\nCritical,1\r\nAbnormal,3\r\nNormal,1\r\nNot assessable,1\r\n",
    );
  });
});
