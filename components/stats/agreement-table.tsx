import type { AgreementRow } from "@/lib/stats/agreement";

const pct = (v: number | null) => (v === null ? "—" : `${(v * 100).toFixed(0)}%`);
const ci = (c: [number, number] | null) => (c ? `${(c[0] * 100).toFixed(0)}–${(c[1] * 100).toFixed(0)}%` : "");

/** The confusion counts behind the agreement chart, one row per finding. */
export function AgreementTable({ rows }: { rows: AgreementRow[] }) {
  return (
    <div className="overflow-x-auto" tabIndex={0}>
      <table className="w-full min-w-[640px] text-xs text-zinc-300" data-testid="agreement-table">
        <thead className="text-[10px] uppercase tracking-wider text-zinc-500">
          <tr className="border-b border-zinc-800">
            <th className="py-1.5 text-left font-semibold">Finding</th>
            <th className="text-right font-semibold" title="AI positive, radiologist agrees">TP</th>
            <th className="text-right font-semibold" title="AI positive, radiologist disagrees">FP</th>
            <th className="text-right font-semibold" title="AI negative, radiologist found it">FN</th>
            <th className="text-right font-semibold" title="AI negative, radiologist agrees">TN</th>
            <th className="text-right font-semibold">Sensitivity (95% CI)</th>
            <th className="pr-1 text-right font-semibold">Specificity (95% CI)</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.label} className={`border-b border-zinc-800/60 ${r.n === 0 ? "text-zinc-400" : ""}`} data-testid={`agreement-row-${r.label}`}>
              <td className="py-1.5">{r.label.replaceAll("_", " ")}</td>
              <td className="text-right font-mono" data-cell="tp">{r.tp}</td>
              <td className="text-right font-mono" data-cell="fp">{r.fp}</td>
              <td className="text-right font-mono" data-cell="fn">{r.fn}</td>
              <td className="text-right font-mono" data-cell="tn">{r.tn}</td>
              <td className="text-right font-mono" data-cell="sensitivity">
                {pct(r.sensitivity)} <span className="text-zinc-500">{ci(r.sensitivityCi)}</span>
              </td>
              <td className="pr-1 text-right font-mono" data-cell="specificity">
                {pct(r.specificity)} <span className="text-zinc-500">{ci(r.specificityCi)}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
