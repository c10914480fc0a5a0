// Integration: a received DX analysed by the real (untrained demo) model, then written as DICOM: the
// SR read back with DCMTK's dsrdump (18 findings with the stored scores, the algorithm and the
// trained flag, the patient copied from the original) and checked with dciodvfy; the verified SR
// after sign-off; a Secondary Capture per positive finding; and the download routes.
import { afterAll, vi } from "vitest";

const dropDb = await vi.hoisted(async () => {
  process.env.MODEL_DIR = `${process.env.DATA_DIR}/model-pacs-writers`;
  process.env.STORAGE_DIR = `${process.env.DATA_DIR}/storage-pacs-writers`;
  process.env.RATE_LIMIT_PER_KEY = "0";
  process.env.RATE_LIMIT_PER_IP = "0";
  return (await import("@/test/support/isolated-database")).useIsolatedDatabase();
});
afterAll(() => dropDb());

import { asc, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { createAnalysis } from "@/test/support/create-analysis";
import { db } from "@/lib/db/client";
import { findings } from "@/lib/db/schema";
import { TEST_PATIENT, testInstance } from "@/test/support/dicomweb/instances";
import { closeAllModels } from "@/lib/inference";
import { amendReview, signOffReview } from "@/lib/reviews/service";
import * as scRoute from "@/app/api/v1/analyses/[id]/dicom/sc/route";
import * as srRoute from "@/app/api/v1/analyses/[id]/dicom/sr/route";
import { parseMultipartRelated } from "@/lib/dicomweb/multipart-related";
import { call, createTestKey, createTestUser, type TestUser } from "@/test/support/principals";
import { ensureDemoModel } from "@/test/support/test-model";
import { readDicomHeader } from "@/lib/pacs/dicom-file";
import { loadResult } from "@/lib/pacs/load-result";
import { secondaryCaptures, structuredReport } from "@/lib/pacs/result-instances";
import { dciodvfyErrors, dsrdump, hasDicomTools, scoresFromDsrdump } from "@/test/support/pacs/dicom-tools";
import { resultUids } from "@/lib/pacs/uids";
import { readMeasurementGroups } from "@/test/support/sr-groups";
import JSONSchemaValidator from "@asymmetrik/fhir-json-schema-validator";
import { saveAnatomy } from "@/lib/analyses/anatomy-store";
import { buildFhirBundle } from "@/lib/fhir/bundle";
import { loadReportDraft } from "@/lib/reports/load-draft";
import { buildReportPdf } from "@/lib/reports/pdf";
import { loadReportData } from "@/lib/reports/report-data";
import { fixtureSummary } from "@/test/support/anatomy/fixture-summary";
import { extractPdfText } from "@/test/support/pdf-text";
import { zooPresent } from "@/test/support/zoo-models";

const tools = await hasDicomTools();
if (!tools) console.warn("SKIPPED: DICOM result checks need dcmtk and dicom3tools (apt-get install dcmtk dicom3tools)");

let radiologist: TestUser;
let analysisId: string;
let key: string;
const dx = testInstance("dx", 11);

beforeAll(async () => {
  await ensureDemoModel();
  radiologist = await createTestUser("radiologist", { name: "Ada Reviewer" });
  key = (await createTestKey(radiologist.user)).key;
  analysisId = (await createAnalysis({ actor: radiologist.principal, fileName: "x.dcm", bytes: dx.bytes })).id;
});
afterAll(() => closeAllModels());

describe.skipIf(!tools)("DICOM results", () => {
  it("writes an UNVERIFIED TID 1500 SR in the source's study that dsrdump reads with every stored score", async () => {
    const result = await loadResult(analysisId);
    const sr = structuredReport(result);
    expect(sr.studyInstanceUid).toBe(dx.studyInstanceUid);
    const dump = await dsrdump(sr.bytes);
    expect(dump).toMatch(/Comprehensive 3D SR Document/);
    expect(dump).toMatch(/Verification Flag\s*: UNVERIFIED/);
    expect(dump).toContain(TEST_PATIENT.name);
    const stored = await db.select().from(findings).where(eq(findings.analysisId, analysisId)).orderBy(asc(findings.position));
    const scores = scoresFromDsrdump(dump);
    expect(scores.size).toBe(18);
    for (const f of stored) expect(Math.abs(scores.get(f.label)! - f.calibrated!)).toBeLessThan(1e-3);
    expect(dump).toContain(`"Algorithm Name")="${result.content.model.name}"`);
    expect(dump).toContain(`"Algorithm Version")="${result.content.model.version}"`);
    expect(dump).toMatch(/"Model trained"\)=\(373067005,SCT,"No"\)/);
    expect(dump).toMatch(/"Model warning"\)="UNTRAINED MODEL - NOT FOR DIAGNOSIS/);
    expect(dump).toContain(`"Device Observer UID")="${resultUids.device(result.content.model)}"`);
    // Viewers draw every measurement group: each positive finding is its heatmap outline on the film,
    // a closed polyline selected from the analysed image, labelled with the finding and its score.
    const positives = result.content.findings.filter((f) => f.positive && f.cam);
    expect(positives.length).toBeGreaterThan(0);
    const groups = readMeasurementGroups(readDicomHeader(sr.bytes));
    expect(groups.map((g) => g.comment)).toEqual(positives.map((f) => `${f.label.replace(/_/g, " ")} (AI, UNTRAINED MODEL) ${f.calibrated!.toFixed(2)}`));
    for (const g of groups) {
      expect(g.trackingIdentifier).toBe("Cornerstone3DTools@^0.1.0:PlanarFreehandROI");
      expect(g.values).toHaveLength(1);
      const { scoord } = g.values[0];
      expect(scoord?.graphicType).toBe("POLYLINE");
      expect(scoord?.referencedSopInstanceUid).toBe(dx.sopInstanceUid);
      const pts = scoord!.points;
      expect(pts.length).toBeGreaterThanOrEqual(8);
      expect([pts[0], pts[1]]).toEqual([pts.at(-2), pts.at(-1)]);
      // Inside the model's centre crop of the 240×256 film: columns 0..240, rows 8..248.
      for (let i = 0; i < pts.length; i += 2) expect(pts[i] >= 0 && pts[i] <= 240 && pts[i + 1] >= 8 && pts[i + 1] <= 248, `${pts[i]},${pts[i + 1]}`).toBe(true);
    }
    expect(await dciodvfyErrors(sr.bytes)).toEqual([]);
    const header = readDicomHeader(sr.bytes);
    // Its own series, named for what it is: the first analysis of the study, a PA film, unverified.
    expect(header.SeriesDescription).toBe("AI findings · PA · UNVERIFIED · UNTRAINED MODEL");
    expect(header.SeriesNumber).toBe(9101);
    expect(header.InstanceNumber).toBe(1);
    const equipment = (header.ContributingEquipmentSequence as Record<string, unknown>[])[0];
    expect(equipment.ManufacturerModelName).toBe(result.content.model.name);
    expect(equipment.DeviceUID).toBe(resultUids.device(result.content.model));
  });

  it("writes a Secondary Capture per positive finding that dciodvfy accepts", async () => {
    const result = await loadResult(analysisId);
    const positives = result.content.findings.filter((f) => f.positive && f.cam);
    const scs = await secondaryCaptures(result);
    // The demo model is seeded and the film is fixed: this one has positive findings.
    expect(positives.length).toBeGreaterThan(0);
    expect(scs).toHaveLength(positives.length);
    expect(await dciodvfyErrors(scs[0].bytes)).toEqual([]);
    const header = readDicomHeader(scs[0].bytes);
    expect(header.BurnedInAnnotation).toBe("YES");
    // One heatmap series per analysis; each capture names its finding and is numbered 1..n.
    const headers = scs.map((sc) => readDicomHeader(sc.bytes));
    expect(new Set(headers.map((h) => h.SeriesInstanceUID)).size).toBe(1);
    expect(headers.map((h) => h.SeriesDescription)).toEqual(scs.map(() => "AI heatmaps · PA · UNTRAINED MODEL"));
    expect(headers.map((h) => h.SeriesNumber)).toEqual(scs.map(() => 9100));
    expect(headers.map((h) => h.InstanceNumber)).toEqual(scs.map((_, i) => i + 1));
    headers.forEach((h, i) => {
      const name = positives[i].label.replace(/_/g, " ");
      expect(String(h.ImageComments)).toContain(`AI heatmap: ${name} ${positives[i].calibrated!.toFixed(2)}`);
      expect(String(h.DerivationDescription)).toContain(`Heatmap of ${name}`);
    });
    expect(header.StudyInstanceUID).toBe(dx.studyInstanceUid);
    expect(String(header.ImageComments)).toMatch(/UNTRAINED MODEL - NOT FOR DIAGNOSIS/);
  });

  it("writes a VERIFIED SR naming the reviewer, with the impression, after sign-off", async () => {
    const labels = (await db.select({ label: findings.label }).from(findings).where(eq(findings.analysisId, analysisId))).map((r) => r.label);
    await signOffReview({
      actor: radiologist.principal,
      analysisId,
      input: {
        decisions: Object.fromEntries(labels.map((l) => [l, "agree" as const])),
        addedFindings: [],
        impression: "No acute cardiopulmonary findings.",
        measurements: [
          { kind: "distance", line: [{ x: 5, y: 5 }, { x: 35, y: 45 }] },
          { kind: "ctr", cardiac: [{ x: 10, y: 50 }, { x: 60, y: 50 }], thoracic: [{ x: 0, y: 60 }, { x: 100, y: 60 }] },
        ],
      },
    });
    const sr = structuredReport(await loadResult(analysisId, 1));
    expect(sr.sopInstanceUid).toBe(resultUids.sr(analysisId, 1));
    expect(sr.sopInstanceUid).not.toBe(resultUids.sr(analysisId, null));
    const dump = await dsrdump(sr.bytes);
    expect(dump).toMatch(/Verification Flag\s*: VERIFIED/);
    const header = readDicomHeader(sr.bytes);
    expect(header.SeriesDescription).toBe("AI findings · PA · VERIFIED v1 · UNTRAINED MODEL");
    expect(header.SeriesNumber).toBe(9102);
    expect(header.SeriesInstanceUID).not.toBe(readDicomHeader(structuredReport(await loadResult(analysisId)).bytes).SeriesInstanceUID);
    expect(dump).toMatch(/Verifying Observers : .*Ada Reviewer/);
    expect(dump).toContain('"Impression")="No acute cardiopulmonary findings."');
    // The ratio is listed at report level; the radiologist's lines are drawn where they were taken.
    expect(dump).toMatch(/"Cardiothoracic ratio"\)="0\.5000"/);
    const drawn = readMeasurementGroups(readDicomHeader(sr.bytes)).filter((g) => g.trackingIdentifier?.endsWith(":Length"));
    expect(drawn.map((g) => g.comment)).toEqual([
      "Distance 50 px (uncalibrated)",
      "CTR 0.50: cardiac width 50 px (uncalibrated)",
      "CTR 0.50: thoracic width 100 px (uncalibrated)",
    ]);
    expect(drawn.map((g) => g.values[0].scoord?.points)).toEqual([
      [5, 5, 35, 45],
      [10, 50, 60, 50],
      [0, 60, 100, 60],
    ]);
    expect(drawn.map((g) => [g.values[0].concept, g.values[0].value, g.values[0].unit])).toEqual([
      ["Length", 50, "{pixels}"],
      ["Length", 50, "{pixels}"],
      ["Length", 100, "{pixels}"],
    ]);
    for (const g of drawn) expect(g.values[0].scoord?.referencedSopInstanceUid).toBe(dx.sopInstanceUid);
    expect(new Set(drawn.map((g) => g.trackingUid)).size).toBe(3);
    expect(await dciodvfyErrors(sr.bytes)).toEqual([]);
  });

  it("writes an amendment as a series of its own, VERIFIED v2, pointing back at version 1 in its series", async () => {
    const labels = (await db.select({ label: findings.label }).from(findings).where(eq(findings.analysisId, analysisId))).map((r) => r.label);
    await amendReview({
      actor: radiologist.principal,
      analysisId,
      input: {
        decisions: Object.fromEntries(labels.map((l) => [l, "agree" as const])),
        addedFindings: [],
        impression: "Amended: small left effusion.",
        measurements: [],
        reason: "Second look",
        baseVersion: 1,
      },
    });
    const v1 = readDicomHeader(structuredReport(await loadResult(analysisId, 1)).bytes);
    const v2 = readDicomHeader(structuredReport(await loadResult(analysisId, 2)).bytes);
    expect(v2.SeriesDescription).toBe("AI findings · PA · VERIFIED v2 · UNTRAINED MODEL");
    expect(v2.SeriesNumber).toBe(9103);
    expect(v2.SeriesInstanceUID).not.toBe(v1.SeriesInstanceUID);
    const predecessor = (v2.PredecessorDocumentsSequence as Record<string, unknown>[])[0];
    const series = (predecessor.ReferencedSeriesSequence as Record<string, unknown>[])[0];
    expect(series.SeriesInstanceUID).toBe(v1.SeriesInstanceUID);
    expect((series.ReferencedSOPSequence as Record<string, unknown>[])[0].ReferencedSOPInstanceUID).toBe(v1.SOPInstanceUID);
    // No measurements in this version: the report draws the findings only, and stays valid.
    const groups = readMeasurementGroups(v2);
    expect(groups.every((g) => g.trackingIdentifier?.endsWith(":PlanarFreehandROI"))).toBe(true);
  });

  it("serves the SR and the captures for download, documented media types, 404 for an unknown id", async () => {
    const get = (handler: typeof srRoute.GET, path: string, query?: Record<string, string>, id = analysisId) =>
      call(handler, `/api/v1/analyses/${id}/dicom/${path}`, { headers: { authorization: `Bearer ${key}` }, params: { id }, query });
    const sr = await get(srRoute.GET, "sr");
    expect(sr.status).toBe(200);
    expect(sr.headers.get("content-type")).toBe("application/dicom");
    // Signed off by the test before: the download is the verified SR.
    expect(readDicomHeader(new Uint8Array(await sr.arrayBuffer())).VerificationFlag).toBe("VERIFIED");
    const all = await get(scRoute.GET, "sc");
    expect(all.status).toBe(200);
    const type = all.headers.get("content-type")!;
    expect(type).toMatch(/^multipart\/related; type="application\/dicom"; boundary=/);
    const parts = parseMultipartRelated(Buffer.from(await all.arrayBuffer()), type);
    const positives = (await loadResult(analysisId)).content.findings.filter((f) => f.positive);
    expect(parts).toHaveLength(positives.length);
    const one = await get(scRoute.GET, "sc", { finding: positives[0].label });
    expect(one.headers.get("content-type")).toBe("application/dicom");
    expect(readDicomHeader(new Uint8Array(await one.arrayBuffer())).SOPInstanceUID).toBe(resultUids.sc(analysisId, positives[0].label));
    expect((await get(scRoute.GET, "sc", { finding: "No Such Finding" })).status).toBe(404);
    expect((await get(srRoute.GET, "sr", undefined, "00000000-0000-4000-8000-000000000000")).status).toBe(404);
  });
});

// The anatomy model's ratio, stored as the anatomy job stores it (the dx-12bit fixture's reference PSPNet
// masks mapped onto this 240 x 256 film, zones from this analysis' own heatmaps), carried by every output.
describe.skipIf(!tools || !zooPresent)("DICOM, PDF, FHIR and the report draft carry the software-measured CTR", () => {
  let id: string;
  const ratio = 387 / 497;

  beforeAll(async () => {
    id = (await createAnalysis({ actor: radiologist.principal, fileName: "x.dcm", bytes: testInstance("dx", 12).bytes })).id;
    const { content } = await loadResult(id);
    const positives = content.findings.map((f, position) => ({ ...f, position })).filter((f) => f.positive && f.cam);
    expect(positives.length).toBeGreaterThan(0);
    const cam = { data: content.findings.flatMap((f) => f.cam ?? new Array(49).fill(0)), shape: [content.findings.length, 7, 7] };
    const { summary, packed } = fixtureSummary("dx-12bit-explicit-le.dcm", {
      film: { width: 240, height: 256 },
      projection: "PA",
      zonesFrom: { cam, classes: Object.fromEntries(positives.map((f) => [f.label, f.position])) },
    });
    await saveAnatomy(id, summary, packed);
  });

  it("the SR lists the ratio with the algorithm and draws both widths on the image; dciodvfy finds no error", async () => {
    const sr = structuredReport(await loadResult(id));
    const dump = await dsrdump(sr.bytes);
    expect(dump).toContain(`"Cardiothoracic ratio")="${ratio.toFixed(4)}"`);
    expect(dump).toContain('"Algorithm Name")="chestx_det-pspnet"');
    expect(dump).toMatch(/measured by software on the anatomy model's heart and lung outlines/);
    const drawn = readMeasurementGroups(readDicomHeader(sr.bytes)).filter((g) => g.trackingIdentifier?.endsWith(":Length"));
    expect(drawn.map((g) => g.comment)).toEqual([
      expect.stringMatching(/^CTR 0\.78 \(software, UNTRAINED MODEL\): cardiac width \d+ px \(uncalibrated\)$/),
      expect.stringMatching(/^CTR 0\.78 \(software, UNTRAINED MODEL\): thoracic width \d+ px \(uncalibrated\)$/),
    ]);
    // 240 columns: the centre crop is the whole width, 240/512 film pixels per model pixel.
    expect(drawn[1].values[0].value).toBeCloseTo((497 * 240) / 512, 3);
    for (const g of drawn) expect(g.values[0].scoord?.referencedSopInstanceUid).toBe(testInstance("dx", 12).sopInstanceUid);
    expect(await dciodvfyErrors(sr.bytes)).toEqual([]);
  });

  it("after sign-off, the report draft, the PDF and a schema-valid FHIR Observation state it, with the finding zones", async () => {
    const labels = (await db.select({ label: findings.label }).from(findings).where(eq(findings.analysisId, id))).map((r) => r.label);
    await signOffReview({
      actor: radiologist.principal,
      analysisId: id,
      input: { decisions: Object.fromEntries(labels.map((l) => [l, "agree" as const])), addedFindings: [], impression: "Reviewed.", measurements: [] },
    });
    const draft = (await loadReportDraft(id))!;
    expect(draft).toContain("SOFTWARE MEASUREMENTS (AI, not drawn by the radiologist)");
    expect(draft).toMatch(/- Cardiothoracic ratio 0\.78 \(cardiac \d+ px \(uncalibrated\), thoracic \d+ px \(uncalibrated\)\), measured by software \(chestx_det-pspnet/);
    expect(draft).toMatch(/: (right|left) (upper|middle|lower) zone\.|: outside the lung outlines\./);
    const report = (await loadReportData(id))!;
    const zones = Object.values(report.anatomy!.findingZones!);
    for (const z of zones.filter((z) => z !== null)) expect(draft).toContain(`: ${z}.`);

    const pdf = (await extractPdfText(await buildReportPdf(report, { base: null, heatmaps: [] }, { audience: "staff" }))).replace(/\s+/g, " ");
    expect(pdf).toContain("Measured by software (anatomy model)");
    expect(pdf).toMatch(/Cardiothoracic ratio 0\.78 \(cardiac \d+ px \(uncalibrated\)/);

    const bundle = buildFhirBundle(report);
    expect(new JSONSchemaValidator().validate(bundle)).toEqual([]);
    const observation = (bundle.entry as { resource: Record<string, unknown> }[])
      .map((e) => e.resource)
      .find((r) => typeof r.device === "object" && (r.code as { text?: string }).text === "Cardiothoracic ratio")!;
    expect(observation).toMatchObject({ valueQuantity: { value: Math.round(ratio * 1000) / 1000 }, derivedFrom: [{ type: "ImagingStudy" }] });
    expect((observation.method as { text: string }).text).toMatch(/^Software measurement/);
  });
});
