// A set's results, computed once every case has finished its analysis and stored as a snapshot (with
// the model and the site thresholds of that moment), so that sets compare over time.
import "server-only";
import { and, eq } from "drizzle-orm";
import { db } from "@/lib/db/client";
import { validationResults, validationSets } from "@/lib/db/schema";
import { getTriageThresholds } from "@/lib/triage/thresholds";
import { isFinished, loadCases, type LoadedCase } from "./cases";
import { evaluateSet } from "./evaluate-set";
import { thinRoc } from "./evaluate";

function modelsOf(cases: LoadedCase[]) {
  const counts = new Map<string, { name: string; version: string; trained: boolean; cases: number }>();
  for (const c of cases) {
    if (!c.model.name) continue;
    const key = `${c.model.name}\u0000${c.model.version}\u0000${c.model.trained}`;
    const m = counts.get(key) ?? { name: c.model.name, version: c.model.version ?? "", trained: c.model.trained ?? false, cases: 0 };
    m.cases++;
    counts.set(key, m);
  }
  return [...counts.values()].sort((a, b) => b.cases - a.cases);
}

/** Computes and stores the results when all cases are done; returns the set's status afterwards. */
export async function completeSet(setId: string): Promise<"processing" | "completed" | "failed"> {
  const [set] = await db.select().from(validationSets).where(eq(validationSets.id, setId)).limit(1);
  if (!set || set.status !== "processing") return set?.status ?? "failed";
  const cases = await loadCases(setId);
  if (!cases.every((c) => isFinished(c.status))) return "processing";

  const analysed = cases.filter((c) => c.status === "completed");
  const thresholds = await getTriageThresholds();
  const evaluations = evaluateSet(set.labels, analysed, thresholds);
  const models = modelsOf(analysed);
  const summary = { cases: cases.length, analysed: analysed.length, failed: cases.length - analysed.length };
  const status = analysed.length > 0 ? "completed" : "failed";
  // Everything is computed before the transaction (the embedded database has one connection).
  await db.transaction(async (tx) => {
    // Claims the set: a concurrent call that got here first leaves nothing for this one to do.
    const claimed = await tx
      .update(validationSets)
      .set({
        status,
        summary,
        models,
        modelName: models[0]?.name ?? null,
        modelVersion: models[0]?.version ?? null,
        modelTrained: models[0]?.trained ?? null,
        siteThresholds: thresholds,
        error: status === "failed" ? "None of the images could be analysed." : null,
        completedAt: new Date(),
      })
      .where(and(eq(validationSets.id, setId), eq(validationSets.status, "processing")))
      .returning({ id: validationSets.id });
    if (claimed.length === 0 || status === "failed") return;
    await tx.insert(validationResults).values(
      evaluations.map((e, position) => ({
        setId,
        label: e.label,
        position,
        n: e.n,
        positives: e.positives,
        auc: e.auc,
        aucLow: e.aucCi?.[0] ?? null,
        aucHigh: e.aucCi?.[1] ?? null,
        ece: e.calibration.ece,
        evaluation: { ...e, roc: thinRoc(e.roc) } as unknown as Record<string, unknown>,
      })),
    );
  });
  return status;
}
