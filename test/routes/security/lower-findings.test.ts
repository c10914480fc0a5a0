// Security suite, the lower findings of the second penetration test: an Idempotency-Key re-used for other
// files answered with the first request's analyses; the labels CSV advertised at 5 MB / 20,000 rows was cut
// at 64 KB by the JSON body limit; a validation period 0000-01-01 – 9999-12-31 was accepted and 2026-02-30
// got the wrong message; file names kept U+202E, and a name with a leading space could never be labelled.
import crypto from "node:crypto";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import * as setsRoute from "@/app/api/validation/sets/route";
import { acceptUpload } from "@/lib/uploads/accept-upload";
import { db } from "@/lib/db/client";
import { analyses } from "@/lib/db/schema";
import { syntheticFilmPng } from "@/test/support/imaging/synthetic-film";
import { appErrorOf } from "@/test/support/app-error";
import { call, createTestUser } from "@/test/support/principals";
import { CreateSetInput } from "@/lib/validation/input";
import { parseLabelsCsv } from "@/lib/validation/labels-csv";

describe("security: lower findings", () => {
  it("refuses an Idempotency-Key re-used with other files (422); the same files are still a replay", async () => {
    const { principal } = await createTestUser("radiologist");
    const key = `idem-${crypto.randomUUID()}`;
    const first = await acceptUpload({ actor: principal, idempotencyKey: key, files: [{ fileName: "a.png", bytes: await syntheticFilmPng(11, 256) }] });
    const again = await acceptUpload({ actor: principal, idempotencyKey: key, files: [{ fileName: "a.png", bytes: await syntheticFilmPng(11, 256) }] });
    expect(again).toMatchObject({ replayed: true, ids: first.ids });
    const other = await appErrorOf(acceptUpload({ actor: principal, idempotencyKey: key, files: [{ fileName: "a.png", bytes: await syntheticFilmPng(12, 256) }] }));
    expect(other.status).toBe(422);
    expect(other.extra.subcode).toBe("idempotency_key_reused");
  });

  it("reads a labels CSV of almost 5 MB with 20,000 rows: the body limit is the one advertised", async () => {
    const { cookie } = await createTestUser("radiologist");
    const note = "x".repeat(220);
    const csv = ["file,Effusion,notes", ...Array.from({ length: 20_000 }, (_, i) => `img${String(i).padStart(5, "0")}.png,${i % 2},${note}`)].join("\n");
    expect(csv.length).toBeGreaterThan(4_500_000);
    const analysisIds = Array.from({ length: 20_000 }, () => crypto.randomUUID());
    const res = await call(setsRoute.POST, "/api/validation/sets", { method: "POST", headers: { cookie }, json: { source: "upload", name: "big", labelsCsv: csv, analysisIds } });
    // Read, parsed and checked to the end: the made-up analyses are what it stops at, not the body's size.
    expect(res.status).toBe(404);
    expect((await res.json()).detail).toMatch(/analyses do not exist/);
  });

  it("takes only calendar dates in a sane range for a review-based period, and says which is wrong", () => {
    const period = (from: string, to: string) => CreateSetInput.safeParse({ source: "reviews", name: "p", from, to });
    expect(period("2026-01-01", "2026-01-31").success).toBe(true);
    const feb30 = period("2026-02-30", "2026-03-01");
    expect(feb30.success).toBe(false);
    expect(feb30.error!.issues[0].message).toBe("2026-02-30 is not a date: February 2026 has 28 days.");
    const wide = period("0000-01-01", "9999-12-31");
    expect(wide.error!.issues.map((i) => i.message)).toEqual([
      "0000-01-01: choose a date between 2000 and 2100.",
      "9999-12-31: choose a date between 2000 and 2100.",
    ]);
    expect(period("2026-13-01", "2026-12-01").error!.issues[0].message).toMatch(/no month 13/);
  });

  it("stores file names without text-reordering characters or outer spaces, so every name can be labelled", async () => {
    const { principal } = await createTestUser("radiologist");
    const { ids } = await acceptUpload({ actor: principal, files: [{ fileName: " \u202Egnp.exe\u202C chest.png ", bytes: await syntheticFilmPng(13, 256) }] });
    const [row] = await db.select({ fileName: analyses.fileName }).from(analyses).where(eq(analyses.id, ids[0]));
    expect(row.fileName).toBe("gnp.exe chest.png");
    // A labels row naming the file with a leading space matches it.
    const parsed = parseLabelsCsv("file,Effusion\n gnp.exe chest.png,1\n", ["Effusion"]);
    expect(parsed.rows[0].file).toBe(row.fileName);
  });
});
