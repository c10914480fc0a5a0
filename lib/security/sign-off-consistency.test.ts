// Security suite: a sign-off never contradicts itself. A normal overall result beside confirmed findings
// used to be signed without a word, and the report draft, the staff PDF and the patient's page all carried
// it. Now the sign-off is refused with the conflicting findings named, and the one report model the three
// read from never shows a normal result beside a confirmed finding, whatever is stored.
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { reviews } from "@/lib/db/schema";
import { loadReportDraft } from "@/lib/reports/load-draft";
import { reportPdf } from "@/lib/reports/report-media";
import { forPatients, loadReportData } from "@/lib/reports/report-data";
import { getReviewState, signOffReview } from "@/lib/reviews/service";
import { appErrorOf } from "@/test/support/app-error";
import { extractPdfText } from "@/test/support/pdf-text";
import { seedAnalysis, seedUser, XRV_LABELS } from "@/test/support/triage/seed";

const agreeAll = () => Object.fromEntries(XRV_LABELS.map((l) => [l, "agree" as const]));
const pdfText = async (...args: Parameters<typeof reportPdf>) => (await extractPdfText(await reportPdf(...args))).replace(/\s+/g, " ");

describe("security: a sign-off agrees with its findings", () => {
  it("refuses a normal result beside confirmed positives, naming them, and signs the abnormal one", async () => {
    const reader = await seedUser("radiologist", "Dr Consistent");
    const analysisId = await seedAnalysis({ uploadedBy: reader.userId, scores: { Mass: 0.51, Nodule: 0.7, Fracture: 0.66 } });
    const input = { decisions: agreeAll(), addedFindings: [], impression: "No acute cardiopulmonary abnormality." };

    const refused = await appErrorOf(signOffReview({ actor: reader, analysisId, input: { ...input, overallResult: "normal" } }));
    expect(refused.status).toBe(422);
    expect(refused.extra.subcode).toBe("review_result_conflict");
    expect(refused.message).toMatch(/cannot be normal/);
    expect(refused.message).toContain("Mass");
    expect((refused.extra.detail as { conflictingFindings: string[] }).conflictingFindings.sort()).toEqual(["Fracture", "Mass", "Nodule"]);
    expect((await getReviewState(analysisId)).status).toBe("unreviewed");

    // A finding the radiologist added makes a normal result just as wrong.
    const clean = await seedAnalysis({ uploadedBy: reader.userId });
    const added = await appErrorOf(
      signOffReview({ actor: reader, analysisId: clean, input: { ...input, addedFindings: ["Rib fracture"], overallResult: "normal" } }),
    );
    expect(added.extra.subcode).toBe("review_result_conflict");
    expect(added.message).toContain("Rib fracture");

    const state = await signOffReview({ actor: reader, analysisId, input: { ...input, overallResult: "abnormal" } });
    expect(state.versions[0]).toMatchObject({ overallResult: "abnormal" });
    expect(await loadReportDraft(analysisId)).toContain("OVERALL RESULT: ABNORMAL");
    // With nothing confirmed, a normal result is signed as given.
    await signOffReview({ actor: reader, analysisId: clean, input: { ...input, overallResult: "normal" } });
    expect(await loadReportDraft(clean)).toContain("OVERALL RESULT: NORMAL");
  });

  it("the draft, the staff PDF and the patient's report never show normal beside a confirmed finding", async () => {
    const reader = await seedUser("radiologist", "Dr Legacy");
    const analysisId = await seedAnalysis({ uploadedBy: reader.userId, scores: { Mass: 0.8 } });
    await signOffReview({ actor: reader, analysisId, input: { decisions: agreeAll(), addedFindings: [], impression: "Mass right upper lobe." } });
    // A stored contradiction (written around the sign-off check, or signed before results were recorded).
    await db.update(reviews).set({ overallResult: "normal" }).where(eq(reviews.analysisId, analysisId));

    const report = (await loadReportData(analysisId))!;
    expect(report.review.overallResult).toBe("abnormal");
    const draft = (await loadReportDraft(analysisId))!;
    expect(draft).toContain("OVERALL RESULT: ABNORMAL");
    expect(draft).not.toContain("OVERALL RESULT: NORMAL");
    const staff = await pdfText(report, "staff");
    expect(staff).toContain("Overall result: ABNORMAL");
    expect(staff).not.toContain("Overall result: NORMAL");
    const patient = await pdfText(forPatients(report), "patient");
    expect(patient).toContain("Overall result: something was found");
    expect(patient).not.toContain("Overall result: normal");
  });
});
