// Integration (PostgreSQL + the real demo model + real DICOM decoding): studies made from uploads, the
// patient link, priors, and the v1 answers `study`, `priors` and /api/v1/studies/{id}.
import { afterAll, vi } from "vitest";

const dropDb = await vi.hoisted(async () => (await import("@/test/support/isolated-database")).useIsolatedDatabase());
afterAll(() => dropDb());

import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import * as analysisRoute from "@/app/api/v1/analyses/[id]/route";
import * as studyRoute from "@/app/api/v1/studies/[id]/route";
import { createAnalysis } from "@/test/support/create-analysis";
import { AnalysisDetail, Problem, Study } from "@/lib/api/v1/schemas";
import { db } from "@/lib/db/client";
import { analyses, findings, studies } from "@/lib/db/schema";
import { signOffReview } from "@/lib/reviews/service";
import { createShare } from "@/lib/shares/service";
import { closeAllModels } from "@/lib/inference";
import { call, createTestKey, createTestUser, type TestUser } from "@/test/support/principals";
import { ensureDemoModel } from "@/test/support/test-model";
import { patientLinkOf } from "@/lib/studies/patient-link";
import { getPriors, getStudy, getStudyOfAnalysis } from "@/lib/studies/queries";
import { testStudyUid, visitFilm } from "@/test/support/studies/study-dicom";

const ALICE = { patientName: "Testpatient^Alice", patientId: "PID-ALICE-4711", issuer: "HOSP-A" };
const BOB = { patientName: "Testpatient^Bob", patientId: "PID-BOB-0815", issuer: "HOSP-A" };

describe("studies and priors", () => {
  let rad: TestUser;
  let key: string;
  const visit1 = testStudyUid();
  const visit2 = testStudyUid();
  let pa1: string, lat1: string, pa2: string, bob: string;

  beforeAll(async () => {
    await ensureDemoModel();
    rad = await createTestUser("radiologist");
    key = (await createTestKey(rad.user, ["analyses:read"])).key;
    const up = async (bytes: Buffer, name: string) => (await createAnalysis({ actor: rad.principal, fileName: name, bytes })).id;
    pa1 = await up(visitFilm({ ...ALICE, studyInstanceUid: visit1, studyDate: "20260105", viewPosition: "PA", imagerPixelSpacing: 0.5 }), "v1-pa.dcm");
    lat1 = await up(visitFilm({ ...ALICE, studyInstanceUid: visit1, studyDate: "20260105", viewPosition: "LL" }), "v1-lat.dcm");
    pa2 = await up(visitFilm({ ...ALICE, studyInstanceUid: visit2, studyDate: "20260301", viewPosition: "PA" }), "v2-pa.dcm");
    bob = await up(visitFilm({ ...BOB, studyInstanceUid: testStudyUid(), studyDate: "20260302", viewPosition: "PA" }), "bob-pa.dcm");
  }, 120_000);
  afterAll(closeAllModels);

  it("groups a PA and a lateral of one visit into one study; the lateral is not assessable, the PA is read", async () => {
    const study = await getStudyOfAnalysis(rad.principal, pa1);
    expect(study.images.map((i) => i.analysisId)).toEqual([pa1, lat1]);
    expect(study.images.map((i) => [i.viewPosition, i.frontal])).toEqual([["PA", true], ["LL", false]]);
    expect(study.images[1].triageLevel).toBe("not_assessable");
    expect(study.primaryAnalysisId).toBe(pa1);
    expect(study.triageLevel).not.toBe("not_assessable");
    expect(study.studyDate).toBe("2026-01-05");
  });

  it("links the same patient's later study to the earlier one, and another patient to none", async () => {
    const later = await getStudyOfAnalysis(rad.principal, pa2);
    const priors = await getPriors(rad.principal, later.id);
    expect(priors.map((p) => [p.studyDate, p.analysisIds])).toEqual([["2026-01-05", [pa1, lat1]]]);
    expect(priors[0].primaryAnalysisId).toBe(pa1);
    // The earlier study has no prior of its own, and Bob has none at all.
    expect(await getPriors(rad.principal, (await getStudyOfAnalysis(rad.principal, pa1)).id)).toEqual([]);
    expect(await getPriors(rad.principal, (await getStudyOfAnalysis(rad.principal, bob)).id)).toEqual([]);
  });

  it("stores a keyed hash as the link: neither the ID nor an unkeyed hash of it", async () => {
    const [row] = await db.select({ link: studies.patientLink }).from(studies).innerJoin(analyses, eq(analyses.studyId, studies.id)).where(eq(analyses.id, pa1));
    expect(row.link).toBe(patientLinkOf(ALICE.issuer, ALICE.patientId));
    expect(row.link).not.toBe(patientLinkOf(BOB.issuer, BOB.patientId));
    expect(row.link).not.toBe(patientLinkOf("OTHER-ISSUER", ALICE.patientId));
    expect(row.link).not.toContain(ALICE.patientId);
    const crypto = await import("node:crypto");
    expect(row.link).not.toBe(crypto.createHash("sha256").update(ALICE.patientId).digest("base64url"));
  });

  it("keeps patient names and IDs out of every table", async () => {
    const dump = await db.execute(sql`select
      (select coalesce(json_agg(a), '[]') from analyses a)::text ||
      (select coalesce(json_agg(s), '[]') from studies s)::text ||
      (select coalesce(json_agg(e), '[]') from audit_events e)::text as all_rows`);
    const text = JSON.stringify(dump);
    for (const secret of [ALICE.patientId, ALICE.patientName, "Alice", BOB.patientId, "Bob"]) expect(text).not.toContain(secret);
    expect(text).toContain(visit1); // the check reads real rows
  });

  it("stores the film's pixel spacing, and leaves it out when the file has none", async () => {
    const rows = await db.select({ id: analyses.id, metadata: analyses.metadata }).from(analyses);
    const meta = (id: string) => rows.find((r) => r.id === id)!.metadata;
    expect(meta(pa1)).toMatchObject({ pixelSpacing: [0.5, 0.5], pixelSpacingSource: "imager" });
    expect(meta(pa2).pixelSpacing).toBeUndefined();
  });

  it("follows the analyses' visibility: a patient sees only the shared image, of the study and among priors", async () => {
    const patient = await createTestUser("patient");
    const labels = (await db.select({ label: findings.label }).from(findings).where(eq(findings.analysisId, pa1))).map((r) => r.label);
    await signOffReview({ actor: rad.principal, analysisId: pa1, input: { decisions: Object.fromEntries(labels.map((l) => [l, "agree" as const])), addedFindings: [], impression: "Visit one." } });
    await createShare({ actor: rad.principal, analysisId: pa1, input: { recipientEmail: patient.user.email }, baseUrl: "http://localhost:3000" });
    const visit = await getStudyOfAnalysis(patient.principal, pa1);
    expect(visit.images.map((i) => i.analysisId)).toEqual([pa1]);
    const later = await getStudyOfAnalysis(rad.principal, pa2);
    await expect(getStudy(patient.principal, later.id)).rejects.toMatchObject({ code: "not_found" });
    expect((await getPriors(patient.principal, later.id)).map((p) => [p.analysisIds, p.impression])).toEqual([[[pa1], "Visit one."]]);
    expect((await getPriors(rad.principal, later.id)).map((p) => p.analysisIds)).toEqual([[pa1, lat1]]);
  });

  describe("v1 API", () => {
    const get = (id: string) => call(analysisRoute.GET, `/api/v1/analyses/${id}`, { headers: { authorization: `Bearer ${key}` }, params: { id } });
    const getStudy = (id: string, k = key) => call(studyRoute.GET, `/api/v1/studies/${id}`, { headers: { authorization: `Bearer ${k}` }, params: { id } });

    it("GET /api/v1/analyses/{id} carries the study and the priors, earliest last", async () => {
      const res = await get(pa2);
      expect(res.status).toBe(200);
      const body = AnalysisDetail.parse(await res.json());
      expect(body.study.studyDate).toBe("2026-03-01");
      expect(body.priors).toHaveLength(1);
      expect(body.priors[0]).toMatchObject({ studyDate: "2026-01-05", analysisIds: [pa1, lat1] });
      expect(JSON.stringify(body)).not.toMatch(/PID-|Testpatient|patientLink|patient_link/);
      const first = AnalysisDetail.parse(await (await get(pa1)).json());
      expect(first.study.id).toBe(body.priors[0].studyId);
      expect(first.priors).toEqual([]);
    });

    it("GET /api/v1/studies/{id} returns the study with its analyses and priors", async () => {
      const studyId = AnalysisDetail.parse(await (await get(pa2)).json()).study.id;
      const res = await getStudy(studyId);
      expect(res.status).toBe(200);
      const body = Study.parse(await res.json());
      expect(body.analyses.map((a) => a.id)).toEqual([pa2]);
      expect(body.priors.map((p) => p.analysisIds)).toEqual([[pa1, lat1]]);
      const visit = Study.parse(await (await getStudy(body.priors[0].studyId)).json());
      expect(visit.analyses.map((a) => [a.id, a.study.viewPosition])).toEqual([[pa1, "PA"], [lat1, "LL"]]);
      expect(visit.triageLevel).not.toBe("not_assessable");
    });

    it("an unknown or malformed study id is a 404 problem, and a key without analyses:read is refused", async () => {
      for (const id of ["00000000-0000-4000-8000-000000000000", "not-a-uuid"]) {
        const res = await getStudy(id);
        expect(res.status).toBe(404);
        expect(Problem.parse(await res.json()).detail).toBe("No such study.");
      }
      const writeOnly = (await createTestKey(rad.user, ["analyses:write"])).key;
      const studyId = AnalysisDetail.parse(await (await get(pa1)).json()).study.id;
      expect((await getStudy(studyId, writeOnly)).status).toBe(403);
    });
  });
});
