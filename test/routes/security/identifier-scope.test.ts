// Security suite: patient names and IDs only for keys that say they may hold them. The DICOM SR and
// Secondary Captures copy the original file's Patient module (name, ID, birth date); a key with only
// `analyses:read` used to download them although the documentation said names and IDs are never answered.
import { beforeAll, describe, expect, it } from "vitest";
import * as scRoute from "@/app/api/v1/analyses/[id]/dicom/sc/route";
import * as srRoute from "@/app/api/v1/analyses/[id]/dicom/sr/route";
import { v1Operations } from "@/lib/api/v1/operations";
import { call, createTestKey, createTestUser } from "@/test/support/principals";
import { seedAnalysis } from "@/test/support/triage/seed";

let analysisId: string;
let readOnly: string;
let withIdentifiers: string;

beforeAll(async () => {
  const owner = await createTestUser("radiologist");
  analysisId = await seedAnalysis({ uploadedBy: owner.user.id, scores: { Effusion: 0.9 } });
  readOnly = (await createTestKey(owner.user, ["analyses:read"])).key;
  withIdentifiers = (await createTestKey(owner.user, ["analyses:read", "identifiers:read"])).key;
});

describe("security: SR and SC downloads need identifiers:read", () => {
  for (const [name, route, path] of [
    ["SR", srRoute, "sr"],
    ["SC", scRoute, "sc"],
  ] as const) {
    it(`${name}: 403 for analyses:read alone, past the scope check with identifiers:read`, async () => {
      const get = (key: string) =>
        call(route.GET, `/api/v1/analyses/${analysisId}/dicom/${path}`, { headers: { authorization: `Bearer ${key}` }, params: { id: analysisId } });
      const refused = await get(readOnly);
      expect(refused.status).toBe(403);
      expect((await refused.json()).detail).toMatch(/lacks the scope identifiers:read/);
      // Past the scope check, the route's own answer: this seeded analysis has no stored original file.
      const allowed = await get(withIdentifiers);
      expect(allowed.status).toBe(404);
      expect((await allowed.json()).detail).toMatch(/original file/);
    });
  }

  it("the API contract says so for exactly these two operations", () => {
    const carrying = Object.values(v1Operations).filter((op) => (op.scopes as readonly string[]).includes("identifiers:read"));
    expect(carrying.map((op) => op.operationId).sort()).toEqual(["getAnalysisDicomSc", "getAnalysisDicomSr"]);
  });
});
