import type { AuditRow } from "@/lib/audit/query";
import { AdminTable } from "./admin-table";
import { LocalTime } from "@/components/ui/local-time";

function Details({ details }: { details: Record<string, unknown> }) {
  const entries = Object.entries(details);
  if (!entries.length) return null;
  return (
    <span className="text-zinc-400">
      {entries.map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`).join(" · ")}
    </span>
  );
}

export function AuditTable({ rows }: { rows: AuditRow[] }) {
  return (
    <AdminTable testId="audit-table" dense columns={["When", "Who", "What", "Target", "From", "Details"]}>
      {rows.length === 0 && (
        <tr>
          <td colSpan={6} className="px-3 py-6 text-center text-zinc-500">
            No events match these filters.
          </td>
        </tr>
      )}
      {rows.map((r) => (
        <tr key={r.id} data-testid="audit-row" data-action={r.action}>
          <td className="whitespace-nowrap px-3 py-1.5">
            <LocalTime iso={r.at} />
          </td>
          <td className="px-3 py-1.5">
            {r.actorEmail ?? (r.actorUserId ? r.actorUserId : <span className="text-zinc-500">anonymous / system</span>)}
            {r.apiKeyPrefix && <code className="ml-1 rounded bg-zinc-800 px-1">{r.apiKeyPrefix}</code>}
          </td>
          <td className="px-3 py-1.5 font-mono">{r.action}</td>
          <td className="px-3 py-1.5 text-zinc-300" data-testid="audit-target">
            {r.targetType && (
              <>
                <span className="font-mono">{r.targetType}</span> {r.targetName ?? <span className="font-mono text-zinc-400">{r.targetId ?? ""}</span>}
                {r.targetName && <span className="sr-only"> ({r.targetId})</span>}
              </>
            )}
          </td>
          <td className="px-3 py-1.5" title={r.userAgent ?? undefined}>
            {r.ip ?? ""}
          </td>
          <td className="px-3 py-1.5">
            <Details details={r.details} />
          </td>
        </tr>
      ))}
    </AdminTable>
  );
}
