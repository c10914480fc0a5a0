"use client";
// The radiologist's overall result, chosen deliberately at sign-off (nothing is preselected). A normal
// result beside confirmed findings is shown as a conflict here, and the server refuses to sign it.
import type { OverallResult } from "@/lib/core/overall-result";

const OPTIONS: { value: OverallResult; label: string }[] = [
  { value: "normal", label: "Normal" },
  { value: "abnormal", label: "Abnormal" },
];

export function OverallResultField({
  value,
  confirmed,
  readOnly,
  onChange,
}: {
  value: OverallResult | null;
  /** Findings the review confirms as present (display labels). */
  confirmed: string[];
  readOnly: boolean;
  onChange: (next: OverallResult) => void;
}) {
  const conflict = value === "normal" && confirmed.length > 0;
  return (
    <fieldset data-testid="overall-result" data-value={value ?? ""} data-confirmed={confirmed.length}>
      <legend className="mb-1 text-xs font-semibold uppercase tracking-wider text-zinc-400">Overall result</legend>
      <div className="flex gap-3 text-sm">
        {OPTIONS.map((o) => (
          <label key={o.value} className="flex items-center gap-1.5">
            <input
              type="radio"
              name="overall-result"
              value={o.value}
              checked={value === o.value}
              disabled={readOnly}
              onChange={() => onChange(o.value)}
              data-testid={`overall-result-${o.value}`}
            />
            {o.label}
          </label>
        ))}
      </div>
      {conflict && (
        <p role="alert" data-testid="result-conflict" className="mt-1 rounded border border-rose-700/60 bg-rose-950/40 px-2 py-1 text-xs text-rose-200">
          Conflict: a normal result cannot be signed while the review confirms {confirmed.join(", ")}.
        </p>
      )}
    </fieldset>
  );
}
