import type { ReactNode } from "react";

/** A bordered table of small text that scrolls sideways when narrow, under a row of column headings; children are its rows. */
export function DataTable({ testId, headers, children }: { testId: string; headers: string[]; children: ReactNode }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-zinc-800" tabIndex={0}>
      <table className="w-full text-left text-xs" data-testid={testId}>
        <thead className="bg-zinc-900 text-zinc-400">
          <tr>
            {headers.map((h) => (
              <th key={h} className="px-3 py-2 font-medium">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
