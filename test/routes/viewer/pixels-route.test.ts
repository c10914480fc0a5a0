// Integration: the viewer's pixel route over an analysis created by the real upload service (demo
// model, real decoders, storage): a 12-bit DICOM streams its stored values, an 8-bit PNG answers 204.
import { vi } from "vitest";

vi.hoisted(() => {
  process.env.MODEL_DIR = `${process.env.DATA_DIR}/model-viewer-pixels`;
});

import { gunzipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as pixelsRoute from "@/app/api/analyses/[id]/pixels/route";
import { createAnalysis } from "@/test/support/create-analysis";
import { closeAllModels } from "@/lib/inference";
import { decodeImage } from "@/lib/imaging";
import { fixturesPresent, readFixture, SKIP_NOTE } from "@/test/support/imaging/fixtures";
import { createTestUser, type TestUser } from "@/test/support/principals";
import { ensureDemoModel } from "@/test/support/test-model";
import { PIXEL_HEADER, PixelHeader } from "@/lib/viewer/pixel-header";

const get = (id: string, cookie?: string) =>
  pixelsRoute.GET(new Request(`http://localhost/api/analyses/${id}/pixels`, { headers: cookie ? { cookie } : {} }), {
    params: Promise.resolve({ id }),
  });

describe.skipIf(!fixturesPresent)("viewer pixel route", () => {
  if (!fixturesPresent) it.skip(SKIP_NOTE, () => {});
  let rad: TestUser;

  beforeAll(async () => {
    await ensureDemoModel();
    rad = await createTestUser("radiologist");
  });
  afterAll(closeAllModels);

  it("streams the 12-bit stored values of a DICOM, the same on a second (cached) request", async () => {
    const bytes = readFixture("dicom", "dx-12bit-explicit-le.dcm");
    const { id } = await createAnalysis({ actor: rad.principal, fileName: "dx.dcm", bytes });
    for (let i = 0; i < 2; i++) {
      const res = await get(id, rad.cookie);
      expect(res.status).toBe(200);
      const header = PixelHeader.parse(JSON.parse(res.headers.get(PIXEL_HEADER)!));
      expect(header).toMatchObject({ width: 512, height: 430, monochrome1: false });
      const values = new Uint16Array(gunzipSync(new Uint8Array(await res.arrayBuffer())).buffer);
      expect(values.length).toBe(512 * 430);
      // Values + offset are the file's stored values.
      const decoded = await decodeImage(bytes);
      const stored = decoded.display.kind === "dicom" ? decoded.display.stored : null;
      expect(stored).not.toBeNull();
      for (const k of [0, 1000, 100_000, 220_159]) expect(values[k] + header.offset).toBe(stored![k]);
    }
  });

  it("answers 204 for an 8-bit PNG, 404 for an unknown id and 401/403 for the wrong caller", async () => {
    const { id } = await createAnalysis({ actor: rad.principal, fileName: "p.png", bytes: readFixture("xrv", "images", "00000001_000.png") });
    expect((await get(id, rad.cookie)).status).toBe(204);
    expect((await get("00000000-0000-4000-8000-000000000000", rad.cookie)).status).toBe(404);
    expect((await get(id)).status).toBe(401);
    const patient = await createTestUser("patient");
    expect((await get(id, patient.cookie)).status).toBe(403);
  });
});
