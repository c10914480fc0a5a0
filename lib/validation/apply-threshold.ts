// Applying a threshold chosen on a validation set to the site's triage: the threshold that reaches the
// target sensitivity on the set's labelled cases (recomputed here, never taken from the browser) becomes
// the finding's site threshold through the triage settings service, which re-triages every study and
// audits the change; this audit adds which set and target it came from.
import "server-only";
import { AppError } from "@/lib/core/errors";
import { recordAudit } from "@/lib/audit/record";
import type { Principal } from "@/lib/auth/principal";
import { thresholdFor } from "@/lib/triage/rules";
import { updateTriageThresholds } from "@/lib/triage/settings-service";
import { getTriageThresholds } from "@/lib/triage/thresholds";
import { MIN_SITE_THRESHOLD } from "./evaluate";
import { thresholdForSensitivity } from "./metrics";
import { getSetView } from "./queries";

export async function applySensitivityThreshold(args: {
  actor: Principal;
  setId: string;
  label: string;
  targetSensitivity: number;
  headers?: Headers;
}) {
  const view = await getSetView(args.setId);
  if (view.set.status !== "completed") throw new AppError("conflict", "This validation set has no results yet.");
  const finding = view.findings.find((f) => f.label === args.label);
  if (!finding) throw new AppError("unprocessable", `This set has no labels for ${args.label}.`, { subcode: "unknown_label" });
  const chosen = thresholdForSensitivity(
    finding.cases.map(([score, truth]) => ({ score, positive: truth === 1 })),
    args.targetSensitivity,
    MIN_SITE_THRESHOLD,
  );
  if (!chosen) throw new AppError("unprocessable", `The set has no positive case of ${args.label}, so no threshold reaches a sensitivity.`, { subcode: "no_positives" });
  const before = thresholdFor(args.label, await getTriageThresholds());
  const updated = await updateTriageThresholds({ actor: args.actor, changes: { [args.label]: chosen.threshold }, headers: args.headers });
  await recordAudit({
    actor: args.actor,
    action: "validation.threshold_applied",
    targetType: "validation_set",
    targetId: args.setId,
    details: {
      label: args.label,
      targetSensitivity: args.targetSensitivity,
      threshold: { from: before, to: chosen.threshold },
      onSet: { sensitivity: chosen.sensitivity, specificity: chosen.specificity, n: finding.n, positives: finding.positives },
      retriaged: updated.recomputed.changed,
    },
    headers: args.headers,
  });
  return { label: args.label, before, after: chosen.threshold, onSet: chosen, recomputed: updated.recomputed };
}
