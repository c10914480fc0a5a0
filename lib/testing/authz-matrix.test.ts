// Runs the authorization matrix (lib/testing/authz-matrix.ts) against the route handlers: every route
// as every caller, with real sessions and API keys on PostgreSQL. Pages are opened in Chromium by
// e2e/authz-pages.spec.ts from the same table; here they are only checked for being in it.
import { afterAll, vi } from "vitest";

// Seeds analyses: a database of its own keeps them out of other files' counts (statistics, worklist).
const dropDb = await vi.hoisted(async () => (await import("@/lib/testing/isolated-database")).useIsolatedDatabase());
afterAll(() => dropDb());

vi.hoisted(() => {
  process.env.MODEL_DIR = `${process.env.DATA_DIR}/model-authz`;
  process.env.STORAGE_DIR = `${process.env.DATA_DIR}/storage-authz`;
  // ~250 calls from one address in a few seconds: rate limits are tested elsewhere, not here.
  process.env.RATE_LIMIT_PER_IP = "0";
  process.env.RATE_LIMIT_PER_KEY = "0";
});

import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { closeAllModels } from "@/lib/inference";
import { createShare } from "@/lib/shares/service";
import { createAnalysis } from "@/lib/analyses/create-analysis";
import type { Principal } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import { analyses, findings } from "@/lib/db/schema";
import { signOffReview } from "@/lib/reviews/service";
import { asc, eq } from "drizzle-orm";
import { syntheticFilmPng } from "@/lib/imaging/testing/synthetic-film";
import { CALLERS, PAGES, ROUTES, type Caller, type HttpMethod, type MatrixFixture } from "./authz-matrix";
import { call, createTestKey, createTestUser } from "./principals";
import { ensureDemoModel } from "./test-model";

const root = path.resolve(import.meta.dirname, "../..");
const HTTP_METHODS: HttpMethod[] = ["GET", "POST", "PUT", "PATCH", "DELETE"];

function filesNamed(name: string, dir = path.join(root, "app")): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const full = path.join(dir, d.name);
    if (d.isDirectory()) return filesNamed(name, full);
    return d.name === name ? [path.relative(root, full).split(path.sep).join("/")] : [];
  });
}

type Handler = (req: Request, ctx?: { params?: Promise<Record<string, string>> }) => Promise<Response>;

async function routeModule(file: string): Promise<Partial<Record<HttpMethod, Handler>>> {
  return (await import(/* @vite-ignore */ path.join(root, file))) as Partial<Record<HttpMethod, Handler>>;
}

/** A real upload with at least one positive finding (heatmap routes need one), signed off by `reader`. */
async function signedOffWithPositive(reader: Principal): Promise<{ reportId: string; positivePosition: number }> {
  for (let seed = 2; seed < 12; seed++) {
    const { id } = await createAnalysis({ actor: reader, fileName: `report-${seed}.png`, bytes: await syntheticFilmPng(seed, 256) });
    const rows = await db.select().from(findings).where(eq(findings.analysisId, id)).orderBy(asc(findings.position));
    const positive = rows.find((f) => f.positive);
    if (!positive) continue;
    const decisions = Object.fromEntries(rows.map((f) => [f.label, "agree" as const]));
    await signOffReview({ actor: reader, analysisId: id, input: { decisions, addedFindings: [], impression: "Matrix fixture." } });
    return { reportId: id, positivePosition: positive.position };
  }
  throw new Error("the demo model called nothing positive on 10 synthetic images; the heatmap routes need one positive finding");
}

describe("authorization matrix", () => {
  it("lists every route handler method and every page of the app, and nothing else", async () => {
    const missing: string[] = [];
    const routeFiles = filesNamed("route.ts");
    for (const file of routeFiles) {
      const mod = await routeModule(file);
      for (const m of HTTP_METHODS.filter((m) => typeof mod[m] === "function")) {
        if (!ROUTES.some((r) => r.file === file && r.method === m)) missing.push(`${m} ${file}`);
      }
    }
    for (const file of filesNamed("page.tsx")) if (!PAGES.some((p) => p.file === file)) missing.push(`page ${file}`);
    expect(missing, "add these to lib/testing/authz-matrix.ts with the status every caller must get").toEqual([]);

    const stale = [
      ...ROUTES.filter((r) => !routeFiles.includes(r.file)).map((r) => `${r.method} ${r.file}`),
      ...PAGES.filter((p) => !fs.existsSync(path.join(root, p.file))).map((p) => `page ${p.file}`),
    ];
    expect(stale, "these entries name files that no longer exist").toEqual([]);
    const keys = ROUTES.map((r) => `${r.method} ${r.file}`);
    expect(keys.filter((k, i) => keys.indexOf(k) !== i), "duplicate entries").toEqual([]);
  });

  describe("route handlers", () => {
    let fixture: MatrixFixture;
    let headersFor: Record<Caller, Record<string, string>>;

    beforeAll(async () => {
      await ensureDemoModel();
      const [patient, radiologist, admin, other] = await Promise.all([
        createTestUser("patient"),
        createTestUser("radiologist"),
        createTestUser("admin"),
        createTestUser("radiologist"),
      ]);
      const key = await createTestKey(radiologist.user, ["analyses:read", "analyses:write", "reports:read"]);
      headersFor = {
        anonymous: {},
        patient: { cookie: patient.cookie },
        radiologist: { cookie: radiologist.cookie },
        admin: { cookie: admin.cookie },
        apiKey: { authorization: `Bearer ${key.key}` },
      };
      // Both analyses go through the real upload pipeline, so their images and renderings are stored.
      const analysisId = (await createAnalysis({ actor: radiologist.principal, fileName: "matrix.png", bytes: await syntheticFilmPng(1, 256) })).id;
      const { reportId, positivePosition } = await signedOffWithPositive(radiologist.principal);
      const { share, url } = await createShare({
        actor: radiologist.principal,
        analysisId: reportId,
        input: { recipientEmail: patient.user.email },
        baseUrl: "http://localhost:3000",
      });
      const [{ studyId }] = await db.select({ studyId: analyses.studyId }).from(analyses).where(eq(analyses.id, analysisId));
      fixture = {
        analysisId,
        studyId,
        reportId,
        shareId: share.id,
        shareToken: new URL(url).pathname.split("/").pop()!,
        positivePosition: String(positivePosition),
        userId: other.user.id,
      };
    });
    afterAll(closeAllModels);

    // Routes marked via "e2e" (next-auth's own handlers) are checked over HTTP in e2e/authz-pages.spec.ts.
    for (const entry of ROUTES.filter((r) => r.via !== "e2e")) {
      const title = `${entry.method} ${entry.file}`;
      it(title, async () => {
        const handler = (await routeModule(entry.file))[entry.method];
        expect(handler, `${title} is not exported`).toBeTypeOf("function");
        const got: Partial<Record<Caller, number>> = {};
        for (const caller of CALLERS) {
          const r = entry.request(fixture);
          const res = await call(handler!, r.path, { method: entry.method, headers: headersFor[caller], params: r.params, query: r.query, json: r.json });
          got[caller] = res.status;
          await res.body?.cancel();
        }
        expect(got).toEqual(entry.expect);
      });
    }
  });
});
