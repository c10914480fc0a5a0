// Integration (PostgreSQL, real decoders and the demo model): films uploaded for a validation set are
// not clinical work. The same patient's validation film and clinical films side by side: the worklist
// (rows and level counts), the history, the v1 list, the statistics, the priors and the PACS deliveries
// hold only the clinical ones, while the validation set still holds its film; a set of uploads refuses
// a clinical film; a labels file refused for a bad value stores nothing.
import { afterAll, vi } from "vitest";

const dropDb = await vi.hoisted(async () => {
  process.env.MODEL_DIR = `${process.env.DATA_DIR}/model-clinical-work`;
  process.env.STORAGE_DIR = `${process.env.DATA_DIR}/storage-clinical-work`;
  // Deliveries are owed only with a PACS configured; nothing listens there (no worker sends them).
  process.env.DICOMWEB_RESULTS_URL = "http://127.0.0.1:9/dicom-web";
  return (await import("@/test/support/isolated-database")).useIsolatedDatabase();
});
afterAll(() => dropDb());

import { count, eq, inArray } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import * as uploadRoute from "@/app/api/analyses/route";
import * as v1ListRoute from "@/app/api/v1/analyses/route";
import * as worklistRoute from "@/app/api/worklist/route";
import * as labelsCheckRoute from "@/app/api/validation/labels-check/route";
import { listHistory } from "@/lib/analyses/queries";
import { db } from "@/lib/db/client";
import { analyses, resultDeliveries } from "@/lib/db/schema";
import { closeAllModels } from "@/lib/inference";
import { runAnalyses } from "@/lib/jobs/run-analyses";
import { stopQueueEngine } from "@/lib/queue/boss";
import { triageMix, volumePerDay } from "@/lib/stats/queries";
import { getPriors, getStudyOfAnalysis } from "@/lib/studies/queries";
import { createSetFromUpload } from "@/lib/validation/create-set";
import { getSetView } from "@/lib/validation/queries";
import { createAnalysis } from "@/test/support/create-analysis";
import { call, createTestKey, createTestUser, type TestUser } from "@/test/support/principals";
import { testStudyUid, visitFilm } from "@/test/support/studies/study-dicom";
import { ensureDemoModel } from "@/test/support/test-model";

const PATIENT = { patientName: "Testpatient^Vera", patientId: "PID-VAL-0001", issuer: "HOSP-A" };

/** Uploads one file through the browser route for a validation set and analyses it here. */
async function uploadForValidation(who: TestUser, name: string, bytes: Buffer): Promise<string> {
  const form = new FormData();
  form.append("file", new File([new Uint8Array(bytes)], name, { type: "application/dicom" }));
  const res = await call(uploadRoute.POST, "/api/analyses?purpose=validation", { method: "POST", headers: { cookie: who.cookie }, body: form });
  expect(res.status, await res.clone().text()).toBe(202);
  const [{ id }] = ((await res.json()) as { analyses: { id: string }[] }).analyses;
  await runAnalyses([id], "inline");
  return id;
}

describe("validation films are kept apart from clinical work", () => {
  let rad: TestUser;
  let key: string;
  let earlierClinical: string;
  let validation: string;
  let clinical: string;

  beforeAll(async () => {
    await ensureDemoModel();
    rad = await createTestUser("radiologist");
    key = (await createTestKey(rad.user, ["analyses:read"])).key;
    const visit = testStudyUid();
    // One patient: a clinical study, then a validation film of the same study (sent again for a set),
    // then a new clinical study. Only the first clinical study is a prior of the last.
    earlierClinical = (await createAnalysis({ actor: rad.principal, fileName: "vw-earlier.dcm", bytes: visitFilm({ ...PATIENT, studyInstanceUid: testStudyUid(), studyDate: "20260101", viewPosition: "PA" }) })).id;
    validation = await uploadForValidation(rad, "vw-set.dcm", visitFilm({ ...PATIENT, studyInstanceUid: visit, studyDate: "20260201", viewPosition: "PA" }));
    clinical = (await createAnalysis({ actor: rad.principal, fileName: "vw-now.dcm", bytes: visitFilm({ ...PATIENT, studyInstanceUid: visit, studyDate: "20260201", viewPosition: "LL" }) })).id;
  }, 120_000);
  afterAll(async () => {
    await stopQueueEngine(5_000);
    await closeAllModels();
  });

  it("files the validation film as validation work in a study of its own, beside no clinical film", async () => {
    const rows = await db.select({ id: analyses.id, purpose: analyses.purpose, status: analyses.status }).from(analyses).where(inArray(analyses.id, [validation, clinical]));
    expect(Object.fromEntries(rows.map((r) => [r.id, [r.purpose, r.status]]))).toEqual({ [validation]: ["validation", "completed"], [clinical]: ["clinical", "completed"] });
    // The clinical film's study (the same Study Instance UID) has one image: the validation copy is not in it.
    const study = await getStudyOfAnalysis(rad.principal, clinical);
    expect(study.images.map((i) => i.analysisId)).toEqual([clinical]);
    expect((await getStudyOfAnalysis(rad.principal, validation)).images.map((i) => i.analysisId)).toEqual([validation]);
  });

  it("keeps it out of the worklist rows and counts, the history and the v1 list", async () => {
    const res = await call(worklistRoute.POST, "/api/worklist", { method: "POST", headers: { cookie: rad.cookie }, json: { q: "vw-" } });
    expect(res.status).toBe(200);
    const page = (await res.json()) as { rows: { id: string }[]; total: number; counts: Record<string, number> };
    expect(page.rows.map((r) => r.id).sort()).toEqual([clinical, earlierClinical].sort());
    expect(page.total).toBe(2);
    expect(Object.values(page.counts).reduce((a, b) => a + b, 0)).toBe(2);
    const unreviewed = await call(worklistRoute.POST, "/api/worklist", { method: "POST", headers: { cookie: rad.cookie }, json: { status: "unreviewed" } });
    expect(((await unreviewed.json()) as { total: number }).total).toBe(2);

    const history = await listHistory(rad.principal, 1, 100);
    expect(history.items.map((i) => i.id)).not.toContain(validation);
    expect(history.total).toBe(2);

    const v1 = await call(v1ListRoute.GET, "/api/v1/analyses", { headers: { authorization: `Bearer ${key}` }, query: { limit: "100" } });
    expect(v1.status).toBe(200);
    expect(((await v1.json()) as { items: { id: string }[] }).items.map((i) => i.id).sort()).toEqual([clinical, earlierClinical].sort());
  });

  it("counts only clinical work in the statistics", async () => {
    const volume = await volumePerDay({ uploader: rad.user.id });
    expect(volume.reduce((n, d) => n + d.total, 0)).toBe(2);
    expect((await triageMix({ uploader: rad.user.id })).reduce((n, r) => n + r.count, 0)).toBe(2);
  });

  it("never offers it as a prior, and owes the PACS nothing for it", async () => {
    const study = await getStudyOfAnalysis(rad.principal, clinical);
    const priors = await getPriors(rad.principal, study.id);
    expect(priors.map((p) => p.analysisIds)).toEqual([[earlierClinical]]);
    const owed = await db.select({ id: resultDeliveries.analysisId }).from(resultDeliveries);
    expect(owed.map((o) => o.id).sort()).toEqual([clinical, earlierClinical].sort());
  });

  it("keeps it inside its validation set, and a set of uploads refuses a clinical film", async () => {
    const csv = "file,Effusion\nvw-set.dcm,1\nvw-now.dcm,0\n";
    const set = await createSetFromUpload({ actor: rad.principal, name: "kept apart", labelsCsv: csv, analysisIds: [validation] });
    const view = await getSetView(set.id);
    expect(view.set.summary).toMatchObject({ cases: 1, analysed: 1 });
    await expect(createSetFromUpload({ actor: rad.principal, name: "mixed", labelsCsv: csv, analysisIds: [validation, clinical] })).rejects.toMatchObject({
      code: "unprocessable",
      extra: { subcode: "not_validation_upload" },
      message: expect.stringMatching(/vw-now\.dcm was uploaded as clinical work/),
    });
  });

  it("refuses a labels file with a bad value with a 422 before any film is stored", async () => {
    const before = (await db.select({ n: count() }).from(analyses))[0].n;
    const res = await call(labelsCheckRoute.POST, "/api/validation/labels-check", {
      method: "POST",
      headers: { cookie: rad.cookie },
      json: { labelsCsv: "file,Effusion\nvw-new.dcm,maybe\n", fileNames: ["vw-new.dcm"] },
    });
    expect(res.status).toBe(422);
    expect(((await res.json()) as { detail: string }).detail).toMatch(/"maybe" is not a label/);
    expect((await db.select({ n: count() }).from(analyses))[0].n).toBe(before);
    expect(await db.select({ id: analyses.id }).from(analyses).where(eq(analyses.fileName, "vw-new.dcm"))).toEqual([]);
  });
});
