// Security suite: patient data at rest. Uploaded originals (a DICOM original carries the patient's name
// and ID) used to be stored world-readable (0644). They are now readable by the app's user alone.
import { vi } from "vitest";

vi.hoisted(() => {
  process.env.MODEL_DIR = `${process.env.DATA_DIR}/model-security-at-rest`;
  process.env.STORAGE_DIR = `${process.env.DATA_DIR}/storage-security-at-rest`;
});

import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as route from "@/app/api/v1/analyses/route";
import { storageDir } from "@/lib/env";
import { syntheticFilmPng } from "@/test/support/imaging/synthetic-film";
import { closeAllModels } from "@/lib/inference";
import { call, createTestKey, createTestUser } from "@/test/support/principals";
import { ensureDemoModel } from "@/test/support/test-model";

describe("security: data at rest", () => {
  let key: string;
  beforeAll(async () => {
    await ensureDemoModel();
    key = (await createTestKey((await createTestUser("radiologist")).user, ["analyses:write"])).key;
  });
  afterAll(closeAllModels);

  it("stores an uploaded original with mode 0600 in a directory with mode 0700", async () => {
    const bytes = await syntheticFilmPng(4242, 256);
    const form = new FormData();
    form.append("file", new File([new Uint8Array(bytes)], "chest.png", { type: "image/png" }));
    const res = await call(route.POST, "/api/v1/analyses", { method: "POST", headers: { authorization: `Bearer ${key}` }, body: form });
    // Stored at once, analysed by the queue (202), or at once when asked to wait (201).
    expect([201, 202], await res.clone().text()).toContain(res.status);
    const sha = crypto.createHash("sha256").update(bytes).digest("hex");
    const file = path.join(storageDir, "original", sha);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
  });
});
