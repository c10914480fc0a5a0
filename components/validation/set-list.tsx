import Link from "next/link";
import type { SetSummary } from "@/lib/validation/queries";
import { DataTable } from "@/components/ui/data-table";

// Every set with its model, date and source, and a comparison of the AUCs per finding across the most
// recent completed sets (the same finding, over time and models).

const num = (v: number | null | undefined) => (v === null || v === undefined ? "–" : v.toFixed(3));
const day = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : "–");

export function SetList({ sets }: { sets: SetSummary[] }) {
  if (sets.length === 0) return <p className="text-sm text-zinc-400">No validation set yet.</p>;
  const compared = sets.filter((s) => s.status === "completed").slice(0, 6);
  const labels = [...new Set(compared.flatMap((s) => s.results.map((r) => r.label)))];
  return (
    <div className="space-y-4">
      <DataTable testId="validation-sets" headers={["Set", "Ground truth", "Model", "Cases", "Status", "Created"]}>
        {sets.map((s) => (
          <tr key={s.id} className="border-t border-zinc-800" data-testid="validation-set-row">
            <td className="px-3 py-1.5">
              <Link href={`/validation/${s.id}`} className="text-sky-300 hover:underline">
                {s.name}
              </Link>
            </td>
            <td className="px-3 py-1.5">{s.source === "reviews" ? `Reviews ${s.periodFrom} – ${s.periodTo}` : "Upload + labels CSV"}</td>
            <td className="px-3 py-1.5">
              {s.modelName ? `${s.modelName} v${s.modelVersion}` : "–"}
              {s.modelTrained === false && <span className="ml-1 rounded bg-red-900/70 px-1 text-[10px] text-red-100">UNTRAINED</span>}
            </td>
            <td className="px-3 py-1.5 font-mono">
              {s.summary.analysed}/{s.summary.cases}
            </td>
            <td className="px-3 py-1.5">{s.status}</td>
            <td className="px-3 py-1.5">
              {day(s.createdAt)} · {s.createdByName}
            </td>
          </tr>
        ))}
      </DataTable>
      {compared.length > 0 && (
        <div className="overflow-x-auto rounded-lg border border-zinc-800" tabIndex={0}>
          <table className="w-full text-left text-xs" data-testid="validation-compare">
            <caption className="px-3 py-2 text-left text-sm font-semibold text-white">AUC per finding across sets</caption>
            <thead className="bg-zinc-900 text-zinc-400">
              <tr>
                <th className="px-3 py-2 font-medium">Finding</th>
                {compared.map((s) => (
                  <th key={s.id} className="px-3 py-2 font-medium">
                    {s.name}
                    <span className="block font-normal text-zinc-500">
                      {day(s.completedAt)} · v{s.modelVersion}
                      {s.modelTrained === false ? " (untrained)" : ""}
                    </span>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {labels.map((l) => (
                <tr key={l} className="border-t border-zinc-800">
                  <td className="px-3 py-1.5">{l.replaceAll("_", " ")}</td>
                  {compared.map((s) => {
                    const r = s.results.find((x) => x.label === l);
                    return (
                      <td key={s.id} className="px-3 py-1.5 font-mono">
                        {r ? `${num(r.auc)}${r.aucLow !== null ? ` (${num(r.aucLow)}–${num(r.aucHigh)})` : ""}` : "–"}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
