// Test helpers for share and report integration tests: a finished, signed-off analysis made through the
// real review service, with a display image and class activation maps, as an upload leaves them. Scores
// and maps are chosen by the test because this machine's only model is untrained; the image is a
// synthetic grey film drawn here (no fixture needed).
import { eq } from "drizzle-orm";
import type { Principal } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import { analyses, analysisCams } from "@/lib/db/schema";
import { syntheticFilmPng } from "@/test/support/imaging/synthetic-film";
import { putStored } from "@/lib/storage/content-store";
import { signOffReview } from "@/lib/reviews/service";
import { seedAnalysis, seedUser, XRV_LABELS } from "@/test/support/triage/seed";

export const POSITIVE_SCORES = { Effusion: 0.91, Cardiomegaly: 0.74, Pneumothorax: 0.62 } as const;
export const IMPRESSION = "Small left pleural effusion. Heart size at the upper limit of normal.";

/** 18 maps of 7 x 7, each with its peak in a different cell. */
export function syntheticCam(): { shape: number[]; data: number[] } {
  const data: number[] = [];
  for (let c = 0; c < XRV_LABELS.length; c++) {
    const peak = (c * 11) % 49;
    for (let i = 0; i < 49; i++) {
      const d2 = ((i % 7) - (peak % 7)) ** 2 + (Math.floor(i / 7) - Math.floor(peak / 7)) ** 2;
      data.push(3 * Math.exp(-d2 / 2) - 0.5);
    }
  }
  return { shape: [XRV_LABELS.length, 7, 7], data };
}

export async function seedSignedOffAnalysis(reader?: Principal): Promise<{ analysisId: string; reader: Principal }> {
  const me = reader ?? (await seedUser("radiologist", "Dr Share Reader"));
  const analysisId = await seedAnalysis({ uploadedBy: me.userId, scores: POSITIVE_SCORES, accessionNumber: "SH-1" });
  const [row] = await db.select({ sha: analyses.imageSha256 }).from(analyses).where(eq(analyses.id, analysisId));
  await putStored("display", row.sha, await syntheticFilmPng(1, 512));
  await db.insert(analysisCams).values({ analysisId, ...syntheticCam() });

  const decisions: Record<string, "agree" | "disagree"> = Object.fromEntries(XRV_LABELS.map((l) => [l, "agree" as const]));
  decisions.Pneumothorax = "disagree";
  await signOffReview({ actor: me, analysisId, input: { decisions, addedFindings: [], impression: IMPRESSION } });
  return { analysisId, reader: me };
}
