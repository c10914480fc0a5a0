// Integration: worklist order and filters on PostgreSQL, scoped to this file's uploader.
import { beforeAll, describe, expect, it } from "vitest";
import type { Principal } from "@/lib/auth/principal";
import { signOffReview } from "@/lib/reviews/service";
import { seedAnalysis, seedUser, XRV_LABELS } from "@/test/support/triage/seed";
import { queryWorklist, worklistFilterOptions } from "./query";
import { WorklistFilters, type WorklistFilters as Filters } from "./input";

describe("worklist on PostgreSQL", () => {
  let me: Principal;
  const ids: Record<string, string> = {};
  const list = (f: Filters = {}) => queryWorklist(WorklistFilters.parse({ uploader: me.userId, ...f }));

  beforeAll(async () => {
    me = await seedUser("radiologist", "Worklist uploader");
    const hour = 3_600_000;
    const at = (h: number) => new Date(Date.now() - h * hour);
    ids.normalOld = await seedAnalysis({ uploadedBy: me.userId, accessionNumber: "WL-100", fileName: "old_normal.png", createdAt: at(5) });
    ids.critical = await seedAnalysis({ uploadedBy: me.userId, scores: { Pneumothorax: 0.8 }, accessionNumber: "WL-200", fileName: "ptx.dcm", createdAt: at(4) });
    ids.abnormal = await seedAnalysis({ uploadedBy: me.userId, scores: { Effusion: 0.7, Mass: 0.6 }, accessionNumber: "WL-300", fileName: "effusion_100%.png", createdAt: at(3) });
    ids.normalNew = await seedAnalysis({ uploadedBy: me.userId, accessionNumber: "WL-400", fileName: "new_normal.png", createdAt: at(1) });
    ids.processing = await seedAnalysis({ uploadedBy: me.userId, status: "processing", fileName: "incoming.png", createdAt: at(0) });
    await signOffReview({
      actor: me,
      analysisId: ids.normalOld,
      input: { decisions: Object.fromEntries(XRV_LABELS.map((l) => [l, "agree" as const])), addedFindings: [], impression: "Normal." },
    });
  });

  it("puts critical first, then processing, abnormal, normal; newest first within a level", async () => {
    const page = await list();
    expect(page.total).toBe(5);
    expect(page.rows.map((r) => r.id)).toEqual([ids.critical, ids.processing, ids.abnormal, ids.normalNew, ids.normalOld]);
    const critical = page.rows[0];
    expect(critical.triageReason).toBe("Critical finding: Pneumothorax 0.80 ≥ threshold 0.50.");
    expect(critical.called).toEqual([{ label: "Pneumothorax", calibrated: expect.closeTo(0.8, 5) }]);
    expect(page.rows[4]).toMatchObject({ reviewStatus: "signed_off", reviewer: "Worklist uploader", uploader: "Worklist uploader" });
  });

  it("sorts by receipt either way and by urgency reversed, as the reader picks a column", async () => {
    const oldestFirst = [ids.normalOld, ids.critical, ids.abnormal, ids.normalNew, ids.processing];
    expect((await list({ sort: "received", dir: "asc" })).rows.map((r) => r.id)).toEqual(oldestFirst);
    expect((await list({ sort: "received", dir: "desc" })).rows.map((r) => r.id)).toEqual([...oldestFirst].reverse());
    // Least urgent first; within a level still newest first.
    expect((await list({ sort: "priority", dir: "asc" })).rows.map((r) => r.id)).toEqual([ids.normalNew, ids.normalOld, ids.abnormal, ids.processing, ids.critical]);
    expect(() => WorklistFilters.parse({ sort: "patient_name" })).toThrow();
  });

  it("filters by status, triage level, finding, date range and searches accession or file name", async () => {
    expect((await list({ status: "signed_off" })).rows.map((r) => r.id)).toEqual([ids.normalOld]);
    const normals = await list({ triage: "normal" });
    expect(normals.rows.map((r) => r.id)).toEqual([ids.normalNew, ids.normalOld]);
    expect(normals.counts).toEqual({ critical: 1, abnormal: 1, normal: 2, processing: 1 });
    expect((await list({ finding: "Mass" })).rows.map((r) => r.id)).toEqual([ids.abnormal]);
    const from = new Date(Date.now() - 3.5 * 3_600_000).toISOString();
    const to = new Date(Date.now() - 0.5 * 3_600_000).toISOString();
    expect((await list({ from, to })).rows.map((r) => r.id)).toEqual([ids.abnormal, ids.normalNew]);
    expect((await list({ q: "wl-2" })).rows.map((r) => r.id)).toEqual([ids.critical]);
    expect((await list({ q: "new_norm" })).rows.map((r) => r.id)).toEqual([ids.normalNew]);
    // LIKE wildcards in the search are literal characters.
    expect((await list({ q: "100%" })).rows.map((r) => r.id)).toEqual([ids.abnormal]);
    expect((await list({ q: "_normal" })).rows.map((r) => r.id)).toEqual([ids.normalNew, ids.normalOld]);
    expect((await list({ q: "nothing-like-this" })).total).toBe(0);
  });

  it("pages, and rejects malformed filters", async () => {
    const p2 = await list({ page: 2, pageSize: 5 });
    expect(p2.rows).toHaveLength(0);
    expect(p2.total).toBe(5);
    expect(WorklistFilters.safeParse({ triage: "urgent" }).success).toBe(false);
    expect(WorklistFilters.safeParse({ from: "yesterday" }).success).toBe(false);
    expect(WorklistFilters.parse({ triage: "", q: "" })).toMatchObject({ triage: undefined, q: undefined, page: 1 });
    const options = await worklistFilterOptions();
    expect(options.uploaders).toContainEqual({ id: me.userId, name: "Worklist uploader" });
    expect(options.labels.slice(0, 2)).toEqual(["Atelectasis", "Consolidation"]);
  });

  it("lists a study once: a PA and its lateral are one row, read by the PA, with both views counted", async () => {
    const other = await seedUser("radiologist", "Study uploader");
    const pa = await seedAnalysis({ uploadedBy: other.userId, scores: { Effusion: 0.7 }, viewPosition: "PA", fileName: "visit-pa.dcm" });
    const studyId = (await queryWorklist(WorklistFilters.parse({ uploader: other.userId }))).rows[0].studyId;
    const lateral = { code: "non_frontal_view", message: "View position is LL." };
    await seedAnalysis({ uploadedBy: other.userId, studyId, viewPosition: "LL", warnings: [lateral], scores: { Pneumothorax: 0.9 }, fileName: "visit-lat.dcm" });
    const page = await queryWorklist(WorklistFilters.parse({ uploader: other.userId }));
    expect(page.total).toBe(1);
    // The lateral's scores are not read: the study is abnormal (the PA's effusion), not critical, not "not assessable".
    expect(page.rows[0]).toMatchObject({ id: pa, studyId, imageCount: 2, views: ["PA", "LL"], triageLevel: "abnormal" });
    expect(page.counts).toEqual({ abnormal: 1 });
    expect((await queryWorklist(WorklistFilters.parse({ uploader: other.userId, triage: "not_assessable" }))).total).toBe(0);
    // Searching the lateral's file name finds the study too.
    expect((await queryWorklist(WorklistFilters.parse({ q: "visit-lat" }))).rows.map((r) => r.id)).toEqual([pa]);
  });
});
