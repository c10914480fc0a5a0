import { ThresholdForm } from "@/components/triage/threshold-form";
import { requireUser } from "@/lib/auth/guards";
import { NOT_ASSESSABLE_WARNINGS } from "@/lib/triage/rules";
import { triageSettingsView } from "@/lib/triage/settings-service";
import { ADMIN_ROLES } from "@/lib/core/roles";

export const dynamic = "force-dynamic";
export const metadata = { title: "Triage thresholds" };

export default async function TriageSettingsPage() {
  await requireUser(ADMIN_ROLES);
  const view = await triageSettingsView();
  return (
    <div className="space-y-4" data-testid="triage-settings">
      <div className="max-w-3xl space-y-2 text-sm text-zinc-300">
        <h2 className="text-base font-semibold text-zinc-100">Triage thresholds</h2>
        <p>
          A study is <strong className="text-red-300">critical</strong> when a critical finding reaches its threshold,{" "}
          <strong className="text-amber-300">abnormal</strong> when any other finding does, and <strong className="text-emerald-300">normal</strong> otherwise. It is{" "}
          <strong className="text-zinc-100">not assessable</strong> when {Object.values(NOT_ASSESSABLE_WARNINGS).join("; ")}.
        </p>
        <p className="text-zinc-400">
          Thresholds apply to the calibrated score, where {view.defaultThreshold.toFixed(2)} is the model&apos;s operating point and 1.00 takes a finding out of triage. Saving re-triages every stored study and is recorded in the audit log.
        </p>
      </div>
      {view.labels.length === 0 ? (
        <p className="text-sm text-zinc-400">No analyses yet: the labels come from the model&apos;s findings.</p>
      ) : (
        <ThresholdForm rows={view.labels} defaultThreshold={view.defaultThreshold} />
      )}
    </div>
  );
}
