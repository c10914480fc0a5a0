// The admin's view of the data lifecycle and its actions, each audited.
import "server-only";
import type { z } from "zod";
import { AppError } from "@/lib/core/errors";
import { recordAudit } from "@/lib/audit/record";
import type { Principal } from "@/lib/auth/principal";
import { env } from "@/lib/env";
import { patientLinkOf } from "@/lib/studies/patient-link";
import type { HoldInput } from "./admin-input";
import { listHolds, placeHold, type HoldView } from "./holds";
import { planRetention, type RetentionCounts } from "./retention";
import { defaultRetentionRules, getRetentionRules, saveRetentionRules, type RetentionRules } from "./rules";

export interface LifecycleView {
  rules: RetentionRules;
  defaults: RetentionRules;
  /** What a run now would remove (the dry run). */
  due: RetentionCounts;
  schedule: string;
  batch: number;
  holds: HoldView[];
}

export async function lifecycleView(now = new Date()): Promise<LifecycleView> {
  const rules = await getRetentionRules();
  return { rules, defaults: defaultRetentionRules(), due: await planRetention(now, rules), schedule: env.RETENTION_SCHEDULE, batch: env.RETENTION_BATCH, holds: await listHolds() };
}

export async function updateRetentionRules(actor: Principal, rules: RetentionRules, headers?: Headers): Promise<LifecycleView> {
  const before = await getRetentionRules();
  await saveRetentionRules(rules);
  await recordAudit({ actor, action: "retention.rules_change", targetType: "settings", targetId: "retention", details: { from: before, to: rules }, headers });
  return lifecycleView();
}

export async function placeHoldFromInput(actor: Principal, input: z.infer<typeof HoldInput>, headers?: Headers): Promise<HoldView> {
  if ("studyId" in input) return placeHold(actor, { studyId: input.studyId }, input.reason, headers);
  const patientLink = patientLinkOf(input.issuer, input.patientId);
  if (!patientLink) throw new AppError("validation_failed", "Type the Patient ID.");
  return placeHold(actor, { patientLink }, input.reason, headers);
}
