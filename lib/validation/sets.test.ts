// Integration: validation sets on PostgreSQL, from signed-off reviews and from uploads with a labels CSV,
// and a threshold applied to the site's triage. Scores are chosen by the test (the machine's only model
// is untrained); everything after the scores is production code. Site thresholds are global, so this
// file has a database of its own.
import { afterAll, vi } from "vitest";

const dropDb = await vi.hoisted(async () => (await import("@/test/support/isolated-database")).useIsolatedDatabase());
afterAll(() => dropDb());

import { and, desc, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { AppError } from "@/lib/core/errors";
import type { Principal } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import { analyses, auditEvents, validationResults } from "@/lib/db/schema";
import { signOffReview } from "@/lib/reviews/service";
import { extractPdfText } from "@/test/support/pdf-text";
import { seedAnalysis, seedUser, XRV_LABELS } from "@/test/support/triage/seed";
import { getTriageThresholds } from "@/lib/triage/thresholds";
import { applySensitivityThreshold } from "./apply-threshold";
import { checkLabelsForUpload, createSetFromReviews, createSetFromUpload } from "./create-set";
import { summaryCsv } from "./export-csv";
import { validationPdf } from "./pdf";
import { getSetView, listSets } from "./queries";

const today = new Date().toISOString().slice(0, 10);
const allAgree = () => Object.fromEntries(XRV_LABELS.map((l) => [l, "agree" as const]));

describe("validation sets", () => {
  let admin: Principal;
  let reader: Principal;

  beforeAll(async () => {
    admin = await seedUser("admin", "Validation admin");
    reader = await seedUser("radiologist", "Validation reader");
  });

  it("builds a set from the signed-off reviews of a period, the review as ground truth", async () => {
    // Effusion scores and the reviewer's word (the model calls ≥ 0.5 positive):
    //   0.9 agree -> present; 0.7 disagree -> absent; 0.3 agree -> absent; 0.2 added as missed -> present;
    //   0.6 undecided draft -> not in the set.
    const a = await seedAnalysis({ uploadedBy: reader.userId, scores: { Effusion: 0.9 } });
    const b = await seedAnalysis({ uploadedBy: reader.userId, scores: { Effusion: 0.7 } });
    const c = await seedAnalysis({ uploadedBy: reader.userId, scores: { Effusion: 0.3 } });
    const d = await seedAnalysis({ uploadedBy: reader.userId, scores: { Effusion: 0.2 } });
    await seedAnalysis({ uploadedBy: reader.userId, scores: { Effusion: 0.6 } });
    const sign = (id: string, decisions: Record<string, "agree" | "disagree">, added: string[] = []) =>
      signOffReview({ actor: reader, analysisId: id, input: { decisions, addedFindings: added, impression: "" } });
    await sign(a, allAgree());
    await sign(b, { ...allAgree(), Effusion: "disagree" });
    await sign(c, allAgree());
    const dDecisions: Record<string, "agree" | "disagree"> = allAgree();
    delete dDecisions.Effusion;
    await sign(d, dDecisions, ["Effusion"]);

    const { id } = await createSetFromReviews({ actor: reader, name: "Reviews today", from: today, to: today });
    const view = await getSetView(id);
    expect(view.set).toMatchObject({ status: "completed", source: "reviews", modelName: "densenet121-res224-all", modelTrained: false });
    expect(view.set.summary).toEqual({ cases: 4, analysed: 4, failed: 0 });
    const effusion = view.findings.find((f) => f.label === "Effusion")!;
    // Positives 0.9, 0.2; negatives 0.7, 0.3: pairs won 0.9>0.7, 0.9>0.3 -> 2 of 4.
    expect(effusion).toMatchObject({ n: 4, positives: 2, auc: 0.5 });
    expect(effusion.siteThreshold).toMatchObject({ threshold: 0.5, tp: 1, fp: 1, fn: 1, tn: 1 });
    // Every other finding: all agreed negatives (score 0.2): one class, no AUC.
    expect(view.findings.find((f) => f.label === "Mass")).toMatchObject({ n: 4, positives: 0, auc: null });
    const [stored] = await db.select().from(validationResults).where(and(eq(validationResults.setId, id), eq(validationResults.label, "Effusion")));
    expect(stored).toMatchObject({ n: 4, positives: 2, auc: 0.5 });

    await expect(createSetFromReviews({ actor: reader, name: "Empty", from: "2001-01-01", to: "2001-01-31" })).rejects.toThrow(/No review was signed off/);
  });

  it("checks a labels file against the images before any is uploaded, and says what is wrong", async () => {
    const csv = "file,Pneumothorax\nv-a.png,1\nv-b.png,0\n";
    expect(await checkLabelsForUpload(csv, ["v-a.png", "dir/v-b.png"])).toEqual({ labels: ["Pneumothorax"], rows: 2 });
    const missing = await checkLabelsForUpload(csv, ["v-a.png", "v-z.png"]).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(AppError);
    expect((missing as AppError).message).toBe("v-z.png has no row in the labels file.");
    const bad = await checkLabelsForUpload("file,Pneumothorax\nv-a.png,maybe\n", ["v-a.png"]).catch((e: unknown) => e);
    expect((bad as AppError).extra.subcode).toBe("invalid_labels");
    const twice = await checkLabelsForUpload(csv, ["v-a.png", "other/v-a.png"]).catch((e: unknown) => e);
    expect((twice as AppError).extra.subcode).toBe("duplicate_file");
  });

  it("builds a set from uploads and a labels CSV, waiting for analyses still running", async () => {
    const names = ["v-a.png", "v-b.png", "v-c.png", "v-d.png"];
    const scores = [0.8, 0.45, 0.4, 0.1];
    const ids: string[] = [];
    for (const [i, fileName] of names.entries()) ids.push(await seedAnalysis({ uploadedBy: reader.userId, fileName, purpose: "validation", scores: { Pneumothorax: scores[i], Edema: scores[i] } }));
    const running = await seedAnalysis({ uploadedBy: reader.userId, fileName: "v-e.png", status: "processing", purpose: "validation" });
    // Pneumothorax present on a and c; Edema unknown for d; a row with no image is fine.
    const csv = "file,Pneumothorax,Edema\nv-a.png,1,1\nv-b.png,0,0\nv-c.png,1,1\nv-d.png,0,\nv-e.png,1,1\nnot-uploaded.png,1,0\n";
    const created = await createSetFromUpload({ actor: reader, name: "Upload", labelsCsv: csv, analysisIds: [...ids, running] });
    expect(created.rowsWithoutImage).toBe(1);
    expect((await getSetView(created.id)).set.status).toBe("processing");

    await db.update(analyses).set({ status: "failed", error: "broken" }).where(eq(analyses.id, running));
    const view = await getSetView(created.id);
    expect(view.set.status).toBe("completed");
    expect(view.set.summary).toEqual({ cases: 5, analysed: 4, failed: 1 });
    expect(view.set.labels).toEqual(["Pneumothorax", "Edema"]);
    const pneumothorax = view.findings.find((f) => f.label === "Pneumothorax")!;
    // Positives 0.8, 0.4; negatives 0.45, 0.1: won 0.8>0.45, 0.8>0.1, 0.4>0.1 -> 3 of 4.
    expect(pneumothorax).toMatchObject({ n: 4, positives: 2, auc: 0.75 });
    // Edema without d (unknown): positives 0.8, 0.4; negative 0.45 -> 1 of 2.
    expect(view.findings.find((f) => f.label === "Edema")).toMatchObject({ n: 3, positives: 2, auc: 0.5 });
    expect(summaryCsv(view).split("\r\n")[0]).toMatch(/^set,model,model_version,model_trained,completed_at,finding,n,positives,auc,/);
    expect((await listSets()).find((s) => s.id === created.id)?.results.map((r) => r.label)).toEqual(["Pneumothorax", "Edema"]);

    const text = await extractPdfText(await validationPdf(view));
    expect(text).toMatch(/Local validation: Upload/);
    expect(text).toMatch(/UNTRAINED demonstration model/);
    expect(text).toMatch(/Pneumothorax 4 2 0\.750/);
  });

  it("refuses an upload whose image has no row, or a labels file it cannot read, with a clear 422", async () => {
    const id = await seedAnalysis({ uploadedBy: reader.userId, fileName: "lonely.png", purpose: "validation" });
    const attempt = (labelsCsv: string) => createSetFromUpload({ actor: reader, name: "x", labelsCsv, analysisIds: [id] });
    await expect(attempt("file,Effusion\nother.png,1\n")).rejects.toThrow(/lonely.png has no row in the labels file/);
    await expect(attempt("file,Effusion\nlonely.png,maybe\n")).rejects.toMatchObject({ code: "unprocessable", message: expect.stringMatching(/"maybe" is not a label/) });
    await expect(attempt("file,Effusion\nlonely.png,maybe\n")).rejects.toBeInstanceOf(AppError);
  });

  it("applies the threshold for 90% sensitivity to the site's triage, re-triages and audits before and after", async () => {
    // Four films scoring Fracture 0.42, 0.35, 0.3 and 0.1; present on the first three.
    const files = ["t-1.png", "t-2.png", "t-3.png", "t-4.png"];
    const fracture = [0.42, 0.35, 0.3, 0.1];
    const ids: string[] = [];
    for (const [i, fileName] of files.entries()) ids.push(await seedAnalysis({ uploadedBy: reader.userId, fileName, purpose: "validation", scores: { Fracture: fracture[i] } }));
    const { id } = await createSetFromUpload({ actor: admin, name: "Fractures", labelsCsv: "file,Fracture\nt-1.png,1\nt-2.png,1\nt-3.png,1\nt-4.png,0\n", analysisIds: ids });
    const levels = async () =>
      Promise.all(ids.map(async (a) => (await db.select({ l: analyses.triageLevel }).from(analyses).where(eq(analyses.id, a)))[0].l));
    expect(await levels()).toEqual(["normal", "normal", "normal", "normal"]);

    // 90% of 3 positives -> all 3 -> the lowest positive, 0.3.
    const applied = await applySensitivityThreshold({ actor: admin, setId: id, label: "Fracture", targetSensitivity: 0.9 });
    expect(applied).toMatchObject({ label: "Fracture", before: 0.5, after: 0.3, onSet: { sensitivity: 1, specificity: 1 } });
    expect((await getTriageThresholds()).Fracture).toBe(0.3);
    expect(await levels()).toEqual(["abnormal", "abnormal", "abnormal", "normal"]);
    const [event] = await db.select().from(auditEvents).where(eq(auditEvents.action, "validation.threshold_applied")).orderBy(desc(auditEvents.id)).limit(1);
    expect(event).toMatchObject({ actorUserId: admin.userId, targetId: id });
    expect(event.details).toMatchObject({ label: "Fracture", targetSensitivity: 0.9, threshold: { from: 0.5, to: 0.3 } });
    const [settingsEvent] = await db.select().from(auditEvents).where(eq(auditEvents.action, "settings.triage_thresholds")).orderBy(desc(auditEvents.id)).limit(1);
    expect(settingsEvent.details).toMatchObject({ changed: { Fracture: { from: 0.5, to: 0.3 } } });

    await expect(applySensitivityThreshold({ actor: admin, setId: id, label: "Hernia", targetSensitivity: 0.9 })).rejects.toThrow(/no labels for Hernia/);
  });
});
