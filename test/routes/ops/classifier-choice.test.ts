// Integration on PostgreSQL with the real pipeline: an admin switches the site's classifier and the next
// analysis is made (and recorded) by the other model, without a restart. The ResNet-50 (the converted
// fixture checkpoint) has no operating point for Lung Lesion and Enlarged Cardiomediastinum: those are
// stored without a score and are "not assessed" in the API, never triaged, never a worklist chip, even
// with a site threshold that would call any score.
import { afterAll, vi } from "vitest";

const dropDb = await vi.hoisted(async () => {
  process.env.MODEL_DIR = `${process.env.DATA_DIR}/model-classifier-choice`;
  process.env.STORAGE_DIR = `${process.env.DATA_DIR}/storage-classifier-choice`;
  process.env.MODEL_RESNET_DIR = await (await import("@/test/support/zoo-models")).zooModelDir("resnet50");
  return (await import("@/test/support/isolated-database")).useIsolatedDatabase();
});
afterAll(() => dropDb());

import { desc, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { AnalysisPurpose } from "@/lib/analyses/purpose";
import * as v1Read from "@/app/api/v1/analyses/[id]/route";
import * as route from "@/app/api/settings/classifier/route";
import { Analysis } from "@/lib/api/v1/schemas";
import { db } from "@/lib/db/client";
import fs from "node:fs";
import { analyses, auditEvents, findings } from "@/lib/db/schema";
import { closeAllModels } from "@/lib/inference";
import { decideClassifier } from "@/lib/inference/classifier-choice";
import { updateTriageThresholds } from "@/lib/triage/settings-service";
import { classifierComparison } from "@/lib/validation/classifier-comparison";
import { createSetFromUpload } from "@/lib/validation/create-set";
import { pairedDeLong } from "@/lib/validation/paired-delong";
import { getSetView } from "@/lib/validation/queries";
import { WorklistFilters } from "@/lib/worklist/input";
import { queryWorklist } from "@/lib/worklist/query";
import { createAnalysis } from "@/test/support/create-analysis";
import { readFixture } from "@/test/support/imaging/fixtures";
import { call, createTestKey, createTestUser, type TestUser } from "@/test/support/principals";
import { ensureDemoModel } from "@/test/support/test-model";

const NOT_ASSESSED = ["Lung Lesion", "Enlarged Cardiomediastinum"];
let admin: TestUser;
let radiologist: TestUser;

beforeAll(async () => {
  await ensureDemoModel();
  admin = await createTestUser("admin");
  radiologist = await createTestUser("radiologist");
}, 300_000);
afterAll(() => closeAllModels());

const choose = (who: TestUser, classifier: string) =>
  call(route.PUT, "/api/settings/classifier", { method: "PUT", headers: { cookie: who.cookie }, json: { classifier } });
const analyse = async (file: string, purpose: AnalysisPurpose = "clinical") =>
  (await createAnalysis({ actor: admin.principal, fileName: file, bytes: readFixture("xrv", "images", file), purpose })).id;
const modelOf = async (id: string) => (await db.select({ n: analyses.modelName, v: analyses.modelVersion }).from(analyses).where(eq(analyses.id, id)))[0];

describe("the site's classifier", () => {
  it("lists both installed classifiers, DenseNet chosen by default; only admins may switch", async () => {
    const view = await (await call(route.GET, "/api/settings/classifier", { headers: { cookie: admin.cookie } })).json();
    expect(view).toMatchObject({ requested: "densenet121", serving: "densenet121", reason: null });
    expect(view.options.map((o: { model: { name: string } }) => o.model.name)).toEqual(["densenet121-res224-all-demo", "resnet50-res512-all"]);
    expect((await choose(radiologist, "resnet50")).status).toBe(403);
    expect((await choose(admin, "vgg16")).status).toBe(400);
  });

  it("the next analysis after a switch is made and recorded by the other model, and back", async () => {
    const before = await analyse("00000001_000.png");
    expect((await modelOf(before)).n).toBe("densenet121-res224-all-demo");

    const switched = await choose(admin, "resnet50");
    expect(switched.status).toBe(200);
    expect(await switched.json()).toMatchObject({ requested: "resnet50", serving: "resnet50" });
    const after = await analyse("00000001_000.png");
    expect(await modelOf(after)).toEqual({ n: "resnet50-res512-all", v: expect.any(String) });
    // The earlier analysis keeps the model that made it.
    expect((await modelOf(before)).n).toBe("densenet121-res224-all-demo");

    const [audit] = await db.select().from(auditEvents).where(eq(auditEvents.action, "settings.classifier")).orderBy(desc(auditEvents.id)).limit(1);
    expect(audit.details).toMatchObject({ from: "densenet121", to: "resnet50" });

    expect((await choose(admin, "densenet121")).status).toBe(200);
    expect((await modelOf(await analyse("00000001_000.png"))).n).toBe("densenet121-res224-all-demo");
  }, 300_000);

  it("the ResNet-50's findings without an operating point are stored, served and triaged as not assessed", async () => {
    expect((await choose(admin, "resnet50")).status).toBe(200);
    // A site threshold that would call any score: a finding without one must still never be called.
    for (const label of NOT_ASSESSED) await updateTriageThresholds({ actor: admin.principal, changes: { [label]: 0.01 } });
    const id = await analyse("tb0005.png");

    const stored = await db.select().from(findings).where(eq(findings.analysisId, id));
    expect(stored).toHaveLength(18);
    for (const f of stored) {
      if (NOT_ASSESSED.includes(f.label)) expect(f, f.label).toMatchObject({ calibrated: null, positive: false });
      else expect(f.calibrated, f.label).toEqual(expect.any(Number));
    }

    const { key } = await createTestKey(admin.user);
    const res = await call(v1Read.GET, `/api/v1/analyses/${id}`, { headers: { authorization: `Bearer ${key}` }, params: { id } });
    expect(res.status).toBe(200);
    const body = Analysis.parse(await res.json());
    expect(body.model?.name).toBe("resnet50-res512-all");
    for (const f of body.findings) {
      if (NOT_ASSESSED.includes(f.label)) expect(f).toEqual({ label: f.label, assessed: false, probability: null, calibrated: null, positive: false, logit: null });
      else expect(f).toMatchObject({ assessed: true, calibrated: expect.any(Number), probability: expect.any(Number) });
    }

    const page = await queryWorklist(WorklistFilters.parse({ pageSize: 200 }));
    const row = page.rows.find((r) => r.id === id)!;
    expect(row).toBeDefined();
    for (const label of NOT_ASSESSED) expect(row.called.map((c) => c.label)).not.toContain(label);
    expect(row.triageReason).not.toMatch(/Lung Lesion|Enlarged Cardiomediastinum/);
    // The worklist's finding filter (a called finding) does not find it by either label.
    for (const label of NOT_ASSESSED) {
      const filtered = await queryWorklist(WorklistFilters.parse({ finding: label, pageSize: 200 }));
      expect(filtered.rows.map((r) => r.id)).not.toContain(id);
    }
    for (const label of NOT_ASSESSED) await updateTriageThresholds({ actor: admin.principal, changes: { [label]: null } });
  }, 300_000);

  it("local validation compares the two classifiers on the same labelled films with the paired DeLong test", async () => {
    const files = ["00000001_000.png", "00027426_000.png", "16747_3_1.jpg", "h0001.png", "tb0005.png", "covid-19-pneumonia-58-prior.jpg"];
    const csv = fs.readFileSync("test/support/fixture-labels.csv", "utf8");
    const header = csv.split("\n")[0];
    const labelsCsv = [header, ...csv.split("\n").filter((l) => files.includes(l.split(",")[0]))].join("\n") + "\n";
    expect((await choose(admin, "densenet121")).status).toBe(200);
    const own = [];
    for (const f of files) own.push(await analyse(f, "validation"));
    const { id: setId } = await createSetFromUpload({ actor: admin.principal, name: "Both classifiers", labelsCsv, analysisIds: own });
    expect((await getSetView(setId)).set).toMatchObject({ status: "completed", modelName: "densenet121-res224-all-demo" });
    // Of these films the ResNet-50 has so far analysed two (in the tests above): only those pair.
    expect((await classifierComparison(setId))?.films).toBe(2);

    expect((await choose(admin, "resnet50")).status).toBe(200);
    const other = [];
    for (const f of files) other.push(await analyse(f));
    const c = (await classifierComparison(setId))!;
    expect(c).toMatchObject({ a: { name: "densenet121-res224-all-demo" }, b: { name: "resnet50-res512-all" }, films: files.length, cases: files.length });
    for (const label of NOT_ASSESSED) expect(c.labels.find((l) => l.label === label)).toMatchObject({ kind: "not_comparable", reason: "not_assessed_b" });

    // Recomputed here from the stored probabilities of each pair of analyses.
    const truth = Object.fromEntries(labelsCsv.trim().split("\n").slice(1).map((l) => [l.split(",")[0], l.split(",").slice(1).map(Number)]));
    const labels = header.split(",").slice(1);
    const probs = async (id: string) => Object.fromEntries((await db.select().from(findings).where(eq(findings.analysisId, id))).map((f) => [f.label, f.probability]));
    const [pa, pb] = [await Promise.all(own.map(probs)), await Promise.all(other.map(probs))];
    const compared = c.labels.filter((l) => l.kind === "compared");
    expect(compared.length).toBeGreaterThan(5);
    for (const l of compared) {
      const i = labels.indexOf(l.label);
      const expected = pairedDeLong(files.map((f, k) => ({ positive: truth[f][i] === 1, a: pa[k][l.label], b: pb[k][l.label] })))!;
      expect(l, l.label).toMatchObject({ aucA: expected.aucA, aucB: expected.aucB, p: expected.p, films: files.length });
    }
  }, 300_000);

  it("without MODEL_RESNET_DIR a chosen ResNet-50 falls back to the DenseNet, saying why", () => {
    const c = decideClassifier("resnet50", { densenet121: "/m/densenet", resnet50: null });
    expect(c).toMatchObject({ serving: "densenet121", dir: "/m/densenet", reason: expect.stringContaining("MODEL_RESNET_DIR") });
    expect(decideClassifier("resnet50", { densenet121: "/d", resnet50: "/r" })).toMatchObject({ serving: "resnet50", dir: "/r", reason: null });
  });
});
