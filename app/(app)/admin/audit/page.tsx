import Link from "next/link";
import { AuditTable } from "@/components/admin/audit-table";
import { knownActions, queryAudit } from "@/lib/audit/query";
import { AuditFilters, withoutPaging } from "@/lib/audit/input";
import { requireUser } from "@/lib/auth/guards";
import { listUsers } from "@/lib/users/service";
import { ADMIN_ROLES } from "@/lib/core/roles";
import { Field, Input, Select } from "@/components/ui/input";

export const dynamic = "force-dynamic";
export const metadata = { title: "Audit log · Administration" };

type Search = Record<string, string | string[] | undefined>;

function qs(values: Record<string, string | number | undefined>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(values)) if (v !== undefined && v !== "") p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : "";
}

export default async function AdminAuditPage({ searchParams }: { searchParams: Promise<Search> }) {
  await requireUser(ADMIN_ROLES);
  const raw = Object.fromEntries(Object.entries(await searchParams).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
  const parsed = AuditFilters.safeParse(raw);
  const filters = parsed.success ? parsed.data : AuditFilters.parse({});
  const [{ rows, nextBefore }, actions, users] = await Promise.all([queryAudit(filters), knownActions(), listUsers()]);
  const groups = [...new Set(actions.map((a) => `${a.split(".")[0]}.`))];
  const kept = withoutPaging(filters);

  return (
    <section className="space-y-3" data-testid="admin-audit-page">
      <form method="get" className="flex flex-wrap items-end gap-3 rounded-md bg-zinc-900/60 p-3 ring-1 ring-zinc-800" data-testid="audit-filters">
        <Field label="Action" density="compact">
          <Select density="compact" name="action" defaultValue={filters.action ?? ""} data-testid="audit-action">
            <option value="">All</option>
            {groups.map((g) => (
              <option key={g} value={g}>
                {g}* (all)
              </option>
            ))}
            {actions.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Who" density="compact">
          <Select density="compact" name="actor" defaultValue={filters.actor ?? ""} data-testid="audit-actor">
            <option value="">Anyone</option>
            {users.map((u) => (
              <option key={u.id} value={u.id}>
                {u.email}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="From" density="compact">
          <Input density="compact" type="date" name="from" defaultValue={filters.from?.slice(0, 10) ?? ""} />
        </Field>
        <Field label="To (inclusive)" density="compact">
          <Input density="compact" type="date" name="to" defaultValue={filters.to?.slice(0, 10) ?? ""} />
        </Field>
        <button type="submit" className="rounded bg-sky-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-sky-700" data-testid="audit-apply">
          Filter
        </button>
        <Link href="/admin/audit" className="px-2 py-1.5 text-sm text-zinc-400 underline">
          Clear
        </Link>
        <a href={`/api/admin/audit/export${qs(kept)}`} className="ml-auto rounded bg-zinc-800 px-3 py-1.5 text-sm hover:bg-zinc-700" data-testid="audit-export" download>
          Export CSV
        </a>
      </form>
      {!parsed.success && (
        <p role="alert" className="text-sm text-amber-300">
          Some filters were not valid and were ignored: {parsed.error.issues.map((i) => i.message).join("; ")}
        </p>
      )}
      <p className="text-xs text-zinc-400">Times in your time zone; date filters are whole UTC days. Newest first.</p>
      <AuditTable rows={rows} />
      <div className="flex gap-3 text-sm">
        {filters.before && (
          <Link href={`/admin/audit${qs(kept)}`} className="underline">
            Newest
          </Link>
        )}
        {nextBefore && (
          <Link href={`/admin/audit${qs({ ...kept, before: nextBefore })}`} className="underline" data-testid="audit-older">
            Older events
          </Link>
        )}
      </div>
    </section>
  );
}
