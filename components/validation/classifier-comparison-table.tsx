import type { ClassifierComparison } from "@/lib/validation/classifier-comparison";

// The two classifiers' AUCs on the same labelled films, per finding, with DeLong's paired test.

const f3 = (v: number) => v.toFixed(3);
const REASON = {
  not_assessed_a: "not assessed by model A",
  not_assessed_b: "not assessed by model B",
  one_class: "needs films with and without the finding",
} as const;

export function ClassifierComparisonTable({ comparison: c }: { comparison: ClassifierComparison }) {
  return (
    <section className="space-y-2 rounded-md bg-zinc-900/60 p-4 ring-1 ring-zinc-800" data-testid="classifier-comparison">
      <h2 className="text-sm font-semibold">Classifiers compared on this set</h2>
      <p className="text-xs text-zinc-400">
        A: {c.a.name} v{c.a.version} · B: {c.b.name} v{c.b.version} · {c.films} of {c.cases} films analysed by both. AUC on each model&apos;s probability;
        the difference A − B with its 95% interval and the two-sided p of DeLong&apos;s test for correlated AUCs.
      </p>
      <div className="overflow-x-auto">
        <table className="w-full min-w-[560px] text-sm">
          <thead className="text-left text-[10px] uppercase tracking-wider text-zinc-400">
            <tr>
              <th className="px-2 py-1">Finding</th>
              <th className="px-2 py-1 text-right">Films</th>
              <th className="px-2 py-1 text-right">AUC A</th>
              <th className="px-2 py-1 text-right">AUC B</th>
              <th className="px-2 py-1 text-right">A − B (95% CI)</th>
              <th className="px-2 py-1 text-right">p</th>
            </tr>
          </thead>
          <tbody>
            {c.labels.map((l) => (
              <tr key={l.label} className="border-t border-zinc-800" data-testid="classifier-comparison-row" data-label={l.label}>
                <td className="px-2 py-1">{l.label.replaceAll("_", " ")}</td>
                <td className="px-2 py-1 text-right tabular-nums">{l.films}</td>
                {l.kind === "compared" ? (
                  <>
                    <td className="px-2 py-1 text-right tabular-nums">{f3(l.aucA)}</td>
                    <td className="px-2 py-1 text-right tabular-nums">{f3(l.aucB)}</td>
                    <td className="px-2 py-1 text-right tabular-nums">
                      {f3(l.difference)}
                      {l.ci ? ` (${f3(l.ci[0])} to ${f3(l.ci[1])})` : ""}
                    </td>
                    <td className="px-2 py-1 text-right tabular-nums" data-testid="classifier-comparison-p">
                      {l.p === null ? "–" : f3(l.p)}
                    </td>
                  </>
                ) : (
                  <td colSpan={4} className="px-2 py-1 text-right text-zinc-400">
                    {REASON[l.reason]}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
