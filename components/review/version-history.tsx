"use client";
import type { ReviewVersionView } from "@/lib/reviews/input";
import { LocalTime } from "@/components/ui/local-time";

function changes(v: ReviewVersionView, prev: ReviewVersionView | undefined): string[] {
  if (!prev) return [];
  const out: string[] = [];
  const labels = new Set([...Object.keys(v.decisions), ...Object.keys(prev.decisions)]);
  for (const l of [...labels].sort()) {
    if (v.decisions[l] !== prev.decisions[l]) out.push(`${l.replaceAll("_", " ")}: ${prev.decisions[l] ?? "—"} → ${v.decisions[l] ?? "—"}`);
  }
  for (const a of v.addedFindings) if (!prev.addedFindings.includes(a)) out.push(`added ${a}`);
  for (const a of prev.addedFindings) if (!v.addedFindings.includes(a)) out.push(`removed ${a}`);
  if (v.impression !== prev.impression) out.push("impression changed");
  return out;
}

/** Every version, newest first: who signed or amended it, when, why, and what changed. */
export function VersionHistory({ versions }: { versions: ReviewVersionView[] }) {
  if (versions.length === 0) return null;
  return (
    <ol className="space-y-2" data-testid="review-history">
      {versions.map((v, i) => {
        const prev = versions[i + 1];
        const diff = changes(v, prev);
        const who = v.reviewer.name || v.reviewer.email;
        return (
          <li key={v.id} className="rounded border border-zinc-800 bg-zinc-900/60 px-2.5 py-2 text-xs" data-testid={`review-version-${v.version}`}>
            <div className="flex flex-wrap items-baseline justify-between gap-x-2">
              <span className="font-semibold text-zinc-100">
                v{v.version} · {v.amendmentReason ? "Amended" : v.signedOffAt ? "Signed off" : "Draft"} by {who}
                {i === 0 && <span className="ml-1.5 rounded bg-zinc-700 px-1 text-[10px] font-normal text-zinc-200">current</span>}
              </span>
              <LocalTime iso={v.signedOffAt ?? v.updatedAt} className="text-zinc-400" />
            </div>
            {v.amendmentReason && (
              <p className="mt-1 text-zinc-300">
                <span className="text-zinc-500">Reason:</span> {v.amendmentReason}
              </p>
            )}
            {diff.length > 0 && <p className="mt-1 text-zinc-400">{diff.join(" · ")}</p>}
          </li>
        );
      })}
    </ol>
  );
}
