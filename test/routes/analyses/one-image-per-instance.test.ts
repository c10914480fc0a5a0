// Integration (PostgreSQL, real decoders): one image per SOP Instance UID, whichever way a DICOM arrives.
// The browser upload, POST /api/v1/analyses and STOW-RS share one rule (lib/uploads/instance-claims.ts):
// the same instance again is answered with the analysis it became (the study keeps one image), other
// content under a UID already received is a 409 that stores nothing. A validation set's copy of a film
// is not clinical work and takes no UID's place.
import { afterAll, vi } from "vitest";

const dropDb = await vi.hoisted(async () => {
  process.env.STORAGE_DIR = `${process.env.DATA_DIR}/storage-one-image`;
  process.env.RATE_LIMIT_PER_KEY = "0";
  process.env.RATE_LIMIT_PER_IP = "0";
  return (await import("@/test/support/isolated-database")).useIsolatedDatabase();
});
afterAll(() => dropDb());

import { count, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import * as uploadRoute from "@/app/api/analyses/route";
import * as stowRoute from "@/app/api/dicomweb/studies/route";
import * as v1Route from "@/app/api/v1/analyses/route";
import { db } from "@/lib/db/client";
import { analyses, dicomInstances } from "@/lib/db/schema";
import { encodeMultipartRelated } from "@/lib/dicomweb/multipart-related";
import { stopQueueEngine } from "@/lib/queue/boss";
import { getStudyOfAnalysis } from "@/lib/studies/queries";
import { acceptUpload } from "@/lib/uploads/accept-upload";
import { testInstance } from "@/test/support/dicomweb/instances";
import { call, createTestKey, createTestUser, type TestUser } from "@/test/support/principals";

let rad: TestUser;
let key: string;

beforeAll(async () => {
  rad = await createTestUser("radiologist");
  key = (await createTestKey(rad.user)).key;
});
afterAll(() => stopQueueEngine(5_000));

function form(files: { name: string; bytes: Buffer }[]): FormData {
  const f = new FormData();
  for (const file of files) f.append("file", new File([new Uint8Array(file.bytes)], file.name, { type: "application/dicom" }));
  return f;
}

const webUpload = (files: { name: string; bytes: Buffer }[], query = "") =>
  call(uploadRoute.POST, `/api/analyses${query}`, { method: "POST", headers: { cookie: rad.cookie }, body: form(files) });
const v1Upload = (bytes: Buffer) => call(v1Route.POST, "/api/v1/analyses", { method: "POST", headers: { authorization: `Bearer ${key}` }, body: form([{ name: "again.dcm", bytes }]) });
async function stow(bytes: Buffer) {
  const { body, contentType } = encodeMultipartRelated([bytes], "application/dicom");
  return call(stowRoute.POST, "/api/dicomweb/studies", { method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": contentType }, body: new Uint8Array(body) });
}

type WebAnswer = { analyses: { id: string; alreadyReceived: boolean }[] };
const analysisCount = async () => (await db.select({ n: count() }).from(analyses))[0].n;
const ofInstance = async (uid: string) => db.select({ analysisId: dicomInstances.analysisId }).from(dicomInstances).where(eq(dicomInstances.sopInstanceUid, uid));

describe("one image per SOP Instance UID", () => {
  it("answers the same DICOM uploaded twice (web, then v1) with its first analysis: one image in the study", async () => {
    const film = testInstance("dx", 9601);
    const first = await webUpload([{ name: "lateral.dcm", bytes: film.bytes }]);
    expect(first.status, await first.clone().text()).toBe(202);
    const [{ id, alreadyReceived }] = ((await first.json()) as WebAnswer).analyses;
    expect(alreadyReceived).toBe(false);
    const before = await analysisCount();

    const again = await webUpload([{ name: "lateral-again.dcm", bytes: film.bytes }]);
    expect(again.status).toBe(200);
    expect(((await again.json()) as WebAnswer).analyses).toEqual([expect.objectContaining({ id, alreadyReceived: true })]);

    const viaApi = await v1Upload(film.bytes);
    expect(viaApi.status).toBe(200);
    expect(((await viaApi.json()) as { id: string }).id).toBe(id);
    expect(viaApi.headers.get("location")).toBe(`/api/v1/analyses/${id}`);

    expect(await analysisCount()).toBe(before);
    expect((await getStudyOfAnalysis(rad.principal, id)).images.map((i) => i.analysisId)).toEqual([id]);
    expect(await ofInstance(film.sopInstanceUid)).toEqual([{ analysisId: id }]);
  });

  it("follows the same rule as STOW-RS, both ways round", async () => {
    const stowed = testInstance("dx", 9602);
    const res = await stow(stowed.bytes);
    expect(res.status).toBe(200);
    const stowedId = JSON.stringify(await res.json()).match(/Analysis ([0-9a-f-]{36})/)![1];
    const uploaded = await webUpload([{ name: "from-pacs.dcm", bytes: stowed.bytes }]);
    expect(uploaded.status).toBe(200);
    expect(((await uploaded.json()) as WebAnswer).analyses[0].id).toBe(stowedId);

    const webFirst = testInstance("dx", 9603);
    const webId = ((await (await webUpload([{ name: "web.dcm", bytes: webFirst.bytes }])).json()) as WebAnswer).analyses[0].id;
    expect(JSON.stringify(await (await stow(webFirst.bytes)).json())).toContain(`Already received: analysis ${webId}.`);
  });

  it("refuses other content under a UID already received (409), web and v1, and stores nothing", async () => {
    const original = testInstance("dx", 9604);
    await webUpload([{ name: "original.dcm", bytes: original.bytes }]);
    const before = await analysisCount();
    const impostor = testInstance("dx", 9604, original.studyInstanceUid, { pixelSeed: 777 });
    expect(impostor.sopInstanceUid).toBe(original.sopInstanceUid);
    for (const res of [await webUpload([{ name: "impostor.dcm", bytes: impostor.bytes }]), await v1Upload(impostor.bytes)]) {
      expect(res.status).toBe(409);
      const problem = (await res.json()) as { code: string; detail: string };
      expect(problem.code).toBe("duplicate_sop_instance");
      expect(problem.detail).toMatch(/already received with different content/);
    }
    expect(await analysisCount()).toBe(before);
  });

  it("makes one analysis of an instance sent twice in one request, or by concurrent uploads", async () => {
    const film = testInstance("dx", 9605);
    const twice = await webUpload([
      { name: "a.dcm", bytes: film.bytes },
      { name: "b.dcm", bytes: film.bytes },
    ]);
    const ids = ((await twice.json()) as WebAnswer).analyses.map((a) => a.id);
    expect(ids).toHaveLength(2);
    expect(ids[1]).toBe(ids[0]);

    const racer = testInstance("dx", 9606);
    const outcomes = await Promise.all([1, 2, 3].map(() => acceptUpload({ actor: rad.principal, files: [{ fileName: "race.dcm", bytes: racer.bytes }] })));
    expect(new Set(outcomes.map((o) => o.ids[0])).size).toBe(1);
    expect(outcomes.filter((o) => o.alreadyReceived.length === 0)).toHaveLength(1);
    expect(await ofInstance(racer.sopInstanceUid)).toEqual([{ analysisId: outcomes[0].ids[0] }]);
  });

  it("still answers a retry with the same Idempotency-Key as a replay of its request", async () => {
    const film = testInstance("dx", 9608);
    const send = () => acceptUpload({ actor: rad.principal, idempotencyKey: "retry-9608", files: [{ fileName: "retry.dcm", bytes: film.bytes }] });
    const first = await send();
    const retry = await send();
    expect(retry).toMatchObject({ ids: first.ids, replayed: true, alreadyReceived: [] });
  });

  it("gives a validation set's copy of a clinical film an analysis of its own, leaving the clinical one the instance's", async () => {
    const film = testInstance("dx", 9607);
    const clinical = ((await (await webUpload([{ name: "clinical.dcm", bytes: film.bytes }])).json()) as WebAnswer).analyses[0].id;
    const copy = await webUpload([{ name: "set-copy.dcm", bytes: film.bytes }], "?purpose=validation");
    expect(copy.status).toBe(202);
    const copyId = ((await copy.json()) as WebAnswer).analyses[0].id;
    expect(copyId).not.toBe(clinical);
    expect(await ofInstance(film.sopInstanceUid)).toEqual([{ analysisId: clinical }]);
    expect((await getStudyOfAnalysis(rad.principal, clinical)).images.map((i) => i.analysisId)).toEqual([clinical]);
  });
});
