import Link from "next/link";
import { TriageBadge } from "@/components/triage/triage-badge";
import { listHistory } from "@/lib/analyses/queries";
import { requireUser } from "@/lib/auth/guards";
import { STAFF_ROLES } from "@/lib/core/roles";
import { PageHeader } from "@/components/ui/page-header";

export const dynamic = "force-dynamic";
export const metadata = { title: "History" };

const PAGE_SIZE = 20;

export default async function HistoryPage({ searchParams }: { searchParams: Promise<{ page?: string }> }) {
  const user = await requireUser(STAFF_ROLES);
  const requested = Number((await searchParams).page ?? 1);
  const page = Number.isFinite(requested) && requested >= 1 ? Math.floor(requested) : 1;
  const history = await listHistory(user, page, PAGE_SIZE);
  const pages = Math.max(1, Math.ceil(history.total / PAGE_SIZE));

  return (
    <div className="space-y-4 px-4 py-6 sm:px-6" data-testid="history-page">
      <PageHeader title="History" description={`${history.total} analyses, newest first`} />
      {history.items.length === 0 ? (
        <p className="rounded-lg border border-zinc-800 p-8 text-center text-sm text-zinc-400" data-testid="history-empty">
          No analyses yet. <Link href="/" className="text-sky-400 hover:underline">Upload a study</Link>.
        </p>
      ) : (
        <ul className="grid gap-3 sm:grid-cols-2 xl:grid-cols-3" data-testid="history-list">
          {history.items.map((item) => (
            <li key={item.id} data-testid="history-item" data-analysis-id={item.id}>
              <Link
                href={`/analyses/${item.id}`}
                className="flex gap-3 rounded-lg border border-zinc-800 bg-zinc-900/40 p-3 hover:border-zinc-600"
              >
                {/* eslint-disable-next-line @next/next/no-img-element -- access-controlled PNG from our API */}
                <img
                  src={`/api/analyses/${item.id}/thumbnail`}
                  alt=""
                  width={80}
                  height={80}
                  loading="lazy"
                  className="h-20 w-20 shrink-0 rounded bg-black object-contain"
                />
                <div className="min-w-0 space-y-1 text-xs">
                  <p className="truncate text-sm font-medium text-white" data-testid="history-file-name">
                    {item.fileName}
                  </p>
                  <p className="text-zinc-400">{item.createdAt.slice(0, 16).replace("T", " ")} UTC</p>
                  <div className="flex flex-wrap items-center gap-1.5">
                    <TriageBadge level={item.triageLevel} />
                    <span className="rounded bg-zinc-800 px-1.5 py-0.5 text-zinc-300">{item.reviewStatus.replace("_", " ")}</span>
                    {item.status !== "completed" && <span className="rounded bg-red-950 px-1.5 py-0.5 text-red-200">{item.status}</span>}
                    {item.modelTrained === false && <span className="rounded bg-amber-900 px-1.5 py-0.5 text-amber-100">untrained</span>}
                    {item.warnings > 0 && (
                      <span className="rounded bg-zinc-800 px-1.5 py-0.5 text-amber-300" title="Quality warnings on this image">
                        {item.warnings} warning{item.warnings > 1 ? "s" : ""}
                      </span>
                    )}
                  </div>
                  {item.topFinding && (
                    <p className="text-zinc-300" data-testid="history-top-finding">
                      Top: {item.topFinding.label.replace(/_/g, " ")} {item.topFinding.calibrated.toFixed(2)}
                    </p>
                  )}
                </div>
              </Link>
            </li>
          ))}
        </ul>
      )}
      {pages > 1 && (
        <nav className="flex items-center justify-center gap-3 text-sm" aria-label="Pages">
          {page > 1 && <Link href={`/history?page=${page - 1}`} className="text-sky-400 hover:underline">← Newer</Link>}
          <span className="text-zinc-400">
            Page {page} of {pages}
          </span>
          {page < pages && <Link href={`/history?page=${page + 1}`} className="text-sky-400 hover:underline">Older →</Link>}
        </nav>
      )}
    </div>
  );
}
