// Test helpers for share integration tests: a finished, signed-off analysis made through the real
// review service (scores are chosen by the test because this machine's only model is untrained).
import { signOffReview } from "@/lib/reviews/service";
import { seedAnalysis, seedUser, XRV_LABELS } from "@/lib/triage/testing/seed";
import type { Principal } from "@/lib/auth/principal";

export const POSITIVE_SCORES = { Effusion: 0.91, Cardiomegaly: 0.74, Pneumothorax: 0.62 } as const;
export const IMPRESSION = "Small left pleural effusion. Heart size at the upper limit of normal.";

export async function seedSignedOffAnalysis(reader?: Principal): Promise<{ analysisId: string; reader: Principal }> {
  const me = reader ?? (await seedUser("radiologist", "Dr Share Reader"));
  const analysisId = await seedAnalysis({ uploadedBy: me.userId, scores: POSITIVE_SCORES, accessionNumber: "SH-1" });
  const decisions: Record<string, "agree" | "disagree"> = Object.fromEntries(XRV_LABELS.map((l) => [l, "agree" as const]));
  decisions.Pneumothorax = "disagree";
  await signOffReview({ actor: me, analysisId, input: { decisions, addedFindings: [], impression: IMPRESSION } });
  return { analysisId, reader: me };
}
