// Integration: the queue on the embedded PGlite database (the first-run default), inside one process:
// the job commits with the upload, the in-process worker analyses it, and a waiting request gets it:
// told by the embedded database's own notification, since it looks in the database only once an hour.
import { vi } from "vitest";

vi.hoisted(() => {
  delete process.env.DATABASE_URL;
  process.env.WAIT_POLL_SECONDS = "3600";
  process.env.DATA_DIR = `${process.env.DATA_DIR}/embedded-queue`;
  process.env.MODEL_DIR = `${process.env.DATA_DIR}/model`;
});

import { count, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { acceptUpload } from "@/lib/uploads/accept-upload";
import { waitForFinished } from "@/lib/analyses/completion";
import { db } from "@/lib/db/client";
import { analyses, findings, users } from "@/lib/db/schema";
import { userPrincipal } from "@/lib/auth/principal";
import { syntheticFilmPng } from "@/test/support/imaging/synthetic-film";
import { onEmbeddedDatabase } from "@/test/support/embedded-app";
import { queueDepth, queuePlaces } from "./depth";
import { startAnalysisWorker } from "@/lib/jobs/analysis-worker";

describe("the analysis queue on the embedded database", () => {
  onEmbeddedDatabase();

  it("queues uploads in the upload's transaction and the in-process worker analyses them in one batch", async () => {
    const [user] = await db.insert(users).values({ email: "embedded@example.org", role: "radiologist" }).returning();
    const actor = userPrincipal(user);
    const files = await Promise.all([1, 2, 3].map(async (n) => ({ fileName: `e${n}.png`, bytes: await syntheticFilmPng(n, 160) })));
    const { ids } = await acceptUpload({ actor, files });
    expect(ids).toHaveLength(3);
    expect((await queueDepth(true)).waiting).toBe(3);
    // Each waits with a place of its own: 1, 2 and 3 in line.
    const places = await queuePlaces(ids);
    expect([...places.values()].sort()).toEqual([1, 2, 3]);
    expect([...places.keys()].sort()).toEqual([...ids].sort());

    await startAnalysisWorker("web");
    expect(await waitForFinished(ids, 60_000)).toBe(true);
    for (const id of ids) {
      const [a] = await db.select().from(analyses).where(eq(analyses.id, id));
      expect(a).toMatchObject({ status: "completed", attempts: 0 }); // no failure of the film
      const [{ n }] = await db.select({ n: count() }).from(findings).where(eq(findings.analysisId, id));
      expect(n).toBe(18);
    }
    expect((await queueDepth(true)).waiting).toBe(0);
  });
});
