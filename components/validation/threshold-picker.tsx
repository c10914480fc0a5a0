"use client";
// Choose the threshold that reaches a target sensitivity on this set, see what it costs in specificity,
// and (admins) make it the site's triage threshold for the finding. The browser only previews: the
// server recomputes the threshold from the stored cases when it is applied.
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useSubmit } from "@/components/ui/use-submit";
import { Button } from "@/components/ui/button";
import { apiFetch } from "@/lib/api/browser-fetch";
import type { Confusion } from "@/lib/validation/metrics";

const pct = (v: number | null) => (v === null ? "–" : `${(v * 100).toFixed(1)}%`);

interface Applied {
  label: string;
  before: number;
  after: number;
  recomputed: { changed: number; total: number };
}

export function ThresholdPicker({
  setId,
  label,
  target,
  setTarget,
  picked,
  siteThreshold,
  canApply,
}: {
  setId: string;
  label: string;
  /** Percent. */
  target: number;
  setTarget: (t: number) => void;
  picked: Confusion | null;
  siteThreshold: number;
  canApply: boolean;
}) {
  const router = useRouter();
  const [applied, setApplied] = useState<Applied | null>(null);
  const { busy, error, run } = useSubmit();

  async function apply() {
    await run(async () => {
      const result = await apiFetch<Applied>(`/api/validation/sets/${setId}/threshold`, { method: "POST", json: { label, targetSensitivity: target / 100 } });
      setApplied(result);
      router.refresh();
    });
  }

  return (
    <div className="space-y-2 rounded-md border border-zinc-800 p-3 text-sm" data-testid="threshold-picker">
      <div className="flex flex-wrap items-center gap-2">
        <label htmlFor="target-sensitivity" className="text-zinc-300">
          Target sensitivity
        </label>
        <input
          id="target-sensitivity"
          data-testid="target-sensitivity"
          type="number"
          min={50}
          max={100}
          step={1}
          value={target}
          onChange={(e) => setTarget(Number(e.target.value))}
          className="w-20 rounded border border-zinc-700 bg-zinc-950 px-2 py-1 text-zinc-100"
        />
        <span className="text-zinc-400">%</span>
        {[90, 95].map((t) => (
          <Button key={t} size="sm" variant="secondary" onClick={() => setTarget(t)}>
            {t}%
          </Button>
        ))}
      </div>
      {picked ? (
        <p className="text-zinc-300" data-testid="picked-threshold" data-threshold={picked.threshold}>
          Threshold <strong className="font-mono">{picked.threshold.toFixed(4)}</strong> (calibrated score): sensitivity {pct(picked.sensitivity)}, specificity{" "}
          {pct(picked.specificity)} on this set · site threshold now <span className="font-mono">{siteThreshold.toFixed(4)}</span>
        </p>
      ) : (
        <p className="text-zinc-500">{target < 50 || target > 100 ? "Choose a sensitivity between 50% and 100%." : "No positive case of this finding in the set."}</p>
      )}
      {canApply ? (
        <Button size="sm" disabled={!picked || busy} onClick={apply} data-testid="apply-threshold">
          {busy ? "Applying…" : "Apply to site triage"}
        </Button>
      ) : (
        <p className="text-xs text-zinc-500">An administrator can apply this threshold to the site&apos;s triage.</p>
      )}
      {applied && (
        <p className="text-emerald-300" role="status" data-testid="threshold-applied">
          Site threshold for {applied.label.replaceAll("_", " ")}: {applied.before.toFixed(4)} → {applied.after.toFixed(4)}. {applied.recomputed.changed} of{" "}
          {applied.recomputed.total} studies re-triaged.
        </p>
      )}
      {error && (
        <p className="text-red-300" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
