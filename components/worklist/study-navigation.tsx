"use client";
// Previous and next study from the result page, in the order the worklist last showed them (this tab),
// by button or by key (K previous, J next, while the viewer has focus, as its other keys).
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { useReaderPreferences } from "@/components/viewer/reader-preferences";
import { isTypingTarget } from "@/components/viewer/shortcuts";
import { neighbours } from "./worklist-place";

const link = "inline-flex h-7 items-center rounded px-2 text-xs text-zinc-200 ring-1 ring-zinc-700 hover:bg-white/10";

export function StudyNavigation({ analysisId }: { analysisId: string }) {
  const router = useRouter();
  const [near, setNear] = useState<ReturnType<typeof neighbours> | null>(null);
  const [{ singleKeyShortcuts }] = useReaderPreferences();
  // sessionStorage exists only in the browser: read after hydration.
  useEffect(() => setNear(neighbours(analysisId)), [analysisId]); // eslint-disable-line react-hooks/set-state-in-effect -- browser-only storage

  useEffect(() => {
    if (!near) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || isTypingTarget(e.target) || !singleKeyShortcuts) return;
      if (!(e.target as Element | null)?.closest?.('[data-testid="diagnostic-viewer"]')) return;
      const to = e.key === "j" || e.key === "J" ? near.next : e.key === "k" || e.key === "K" ? near.previous : null;
      if (!to) return;
      e.preventDefault();
      router.push(`/analyses/${to}`);
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [near, router, singleKeyShortcuts]);

  if (!near?.worklistUrl) return null;
  return (
    <nav aria-label="Worklist" className="ml-auto flex items-center gap-1.5" data-testid="study-navigation">
      <Link href={near.worklistUrl} className={link} data-testid="back-to-worklist">
        Worklist
      </Link>
      {near.previous && (
        <Link href={`/analyses/${near.previous}`} className={link} data-testid="study-previous" title="Previous study (K)" rel="prev">
          ← Previous
        </Link>
      )}
      {near.next && (
        <Link href={`/analyses/${near.next}`} className={link} data-testid="study-next" title="Next study (J)" rel="next">
          Next →
        </Link>
      )}
    </nav>
  );
}
