// Local validation of the site's two classifiers on one labelled set: the set's films are found again by
// their image (the same bytes analysed by the other classifier, e.g. the set uploaded again after an
// admin switched it), the newest completed analysis of each film by each model is taken, and the AUCs
// are compared with the paired DeLong test. Shown on the set's page once both models scored its films.
import "server-only";
import { and, desc, eq, inArray, isNotNull } from "drizzle-orm";
import { db } from "@/lib/db/client";
import { analyses, findings, validationCases, validationSets } from "@/lib/db/schema";
import { compareClassifiersOn, type LabelComparison, type ModelScores } from "./classifier-pairs";

export interface ClassifierComparison {
  /** The set's own model (A) and the other one (B). */
  a: { name: string; version: string };
  b: { name: string; version: string };
  /** Films of the set with a completed analysis by both models. */
  films: number;
  cases: number;
  labels: LabelComparison[];
}

export async function classifierComparison(setId: string): Promise<ClassifierComparison | null> {
  const [set] = await db.select().from(validationSets).where(eq(validationSets.id, setId)).limit(1);
  if (!set || set.status !== "completed" || !set.modelName) return null;
  const cases = await db
    .select({ truth: validationCases.truth, image: analyses.imageSha256 })
    .from(validationCases)
    .innerJoin(analyses, eq(analyses.id, validationCases.analysisId))
    .where(eq(validationCases.setId, setId));
  const images = [...new Set(cases.map((c) => c.image))];
  if (images.length === 0) return null;
  // Newest first, so the first analysis met per film and model is the one compared.
  const made = await db
    .select({ id: analyses.id, image: analyses.imageSha256, name: analyses.modelName, version: analyses.modelVersion })
    .from(analyses)
    .where(and(inArray(analyses.imageSha256, images), eq(analyses.status, "completed"), isNotNull(analyses.modelName)))
    .orderBy(desc(analyses.createdAt));
  const others = new Map<string, number>();
  for (const m of made) if (m.name !== set.modelName) others.set(m.name!, (others.get(m.name!) ?? 0) + 1);
  const otherName = [...others.entries()].sort((x, y) => y[1] - x[1])[0]?.[0];
  if (!otherName) return null;

  const pick = (name: string) => {
    const byImage = new Map<string, { id: string; version: string }>();
    for (const m of made) if (m.name === name && !byImage.has(m.image)) byImage.set(m.image, { id: m.id, version: m.version ?? "" });
    return byImage;
  };
  const [ownMade, otherMade] = [pick(set.modelName), pick(otherName)];
  const ids = [...ownMade.values(), ...otherMade.values()].map((x) => x.id);
  const rows = await db
    .select({ analysisId: findings.analysisId, label: findings.label, probability: findings.probability })
    .from(findings)
    .where(and(inArray(findings.analysisId, ids), isNotNull(findings.calibrated)));
  const scores = new Map<string, ModelScores>();
  for (const r of rows) {
    const s = scores.get(r.analysisId) ?? {};
    s[r.label] = r.probability;
    scores.set(r.analysisId, s);
  }
  const scoresOf = (made: Map<string, { id: string }>, image: string) => {
    const m = made.get(image);
    return m ? (scores.get(m.id) ?? {}) : null;
  };
  const compared = cases.map((c) => ({ truth: c.truth, a: scoresOf(ownMade, c.image), b: scoresOf(otherMade, c.image) }));
  const films = compared.filter((c) => c.a && c.b).length;
  if (films === 0) return null;
  const versionOf = (made: Map<string, { version: string }>) => made.values().next().value?.version ?? "";
  return {
    a: { name: set.modelName, version: set.modelVersion ?? versionOf(ownMade) },
    b: { name: otherName, version: versionOf(otherMade) },
    films,
    cases: cases.length,
    labels: compareClassifiersOn(set.labels, compared),
  };
}
