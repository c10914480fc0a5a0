import type { ReactNode } from "react";

/** The admin console's tables: a labelled header row over the rows the caller renders. */
export function AdminTable({ testId, columns, dense = false, children }: { testId: string; columns: string[]; dense?: boolean; children: ReactNode }) {
  return (
    <div className="overflow-x-auto rounded-md ring-1 ring-zinc-800" tabIndex={0}>
      <table className={dense ? "min-w-full text-xs" : "min-w-full text-sm"} data-testid={testId}>
        <thead className="bg-zinc-900 text-left text-xs uppercase tracking-wide text-zinc-400">
          <tr>
            {columns.map((c, i) => (
              <th key={i} className="px-3 py-2">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-800">{children}</tbody>
      </table>
    </div>
  );
}
