// Changing the site thresholds: validate against the labels the model reports, store, re-triage every
// study so the worklist reflects the new rules at once, and audit who changed what.
import "server-only";
import { AppError } from "@/lib/core/errors";
import { recordAudit } from "@/lib/audit/record";
import type { Principal } from "@/lib/auth/principal";
import { recomputeAllTriage } from "./apply";
import { knownLabels } from "./labels";
import { DEFAULT_THRESHOLD } from "./rules";
import { getTriageThresholds, saveTriageThresholds, type ThresholdChanges } from "./thresholds";

// A type alias, not an interface: route handlers return it as a plain JSON record.
export type TriageSettingsView = {
  labels: { label: string; threshold: number; isDefault: boolean }[];
  defaultThreshold: number;
};

export async function triageSettingsView(): Promise<TriageSettingsView> {
  const [labels, thresholds] = [await knownLabels(), await getTriageThresholds()];
  return {
    defaultThreshold: DEFAULT_THRESHOLD,
    labels: labels.map((label) => ({
      label,
      threshold: thresholds[label] ?? DEFAULT_THRESHOLD,
      isDefault: thresholds[label] === undefined,
    })),
  };
}

export async function updateTriageThresholds(args: {
  actor: Principal;
  /** Only the labels to change; the others keep their thresholds (two admins never clobber each other). */
  changes: ThresholdChanges;
  headers?: Headers;
}): Promise<TriageSettingsView & { recomputed: { changed: number; total: number } }> {
  const labels = new Set(await knownLabels());
  const unknown = Object.keys(args.changes).filter((l) => !labels.has(l));
  if (unknown.length > 0) {
    throw new AppError("unprocessable", `Unknown finding label: ${unknown.join(", ")}.`, { subcode: "unknown_label" });
  }
  const before = await getTriageThresholds();
  const merged: Record<string, number> = { ...before };
  for (const [label, t] of Object.entries(args.changes)) {
    // Storing only what differs from the operating point keeps "default" meaningful if a model changes.
    if (t === null || t === DEFAULT_THRESHOLD) delete merged[label];
    else merged[label] = t;
  }
  const stored = merged;
  await saveTriageThresholds(stored);
  const recomputed = await recomputeAllTriage();
  const changed = [...new Set([...Object.keys(before), ...Object.keys(stored)])].filter((l) => before[l] !== stored[l]);
  await recordAudit({
    actor: args.actor,
    action: "settings.triage_thresholds",
    targetType: "settings",
    targetId: "triage.thresholds",
    details: {
      changed: Object.fromEntries(changed.map((l) => [l, { from: before[l] ?? DEFAULT_THRESHOLD, to: stored[l] ?? DEFAULT_THRESHOLD }])),
      retriaged: recomputed.changed,
    },
    headers: args.headers,
  });
  return { ...(await triageSettingsView()), recomputed };
}
