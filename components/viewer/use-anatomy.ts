"use client";
// The analysis's anatomy for the viewer (outlines and the measured CTR): fetched once, and again every
// few seconds while its segmentation is still queued (it runs after the findings, tens of seconds on a
// CPU), for up to POLL_LIMIT_MS.
import { useEffect, useState } from "react";
import type { AnatomyView } from "@/lib/anatomy/view-types";

const POLL_MS = 4_000;
const POLL_LIMIT_MS = 15 * 60_000;

export function useAnatomy(analysisId: string | null): AnatomyView | null {
  const [view, setView] = useState<AnatomyView | null>(null);
  useEffect(() => {
    if (!analysisId) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const until = Date.now() + POLL_LIMIT_MS;
    const load = async () => {
      try {
        const res = await fetch(`/api/analyses/${encodeURIComponent(analysisId)}/anatomy`, { cache: "no-store" });
        if (stopped) return;
        if (res.ok) {
          const next = (await res.json()) as AnatomyView;
          if (stopped) return;
          setView(next);
          if (next.status !== "queued") return;
        }
      } catch {
        // A network blip: try again on the next tick.
      }
      if (!stopped && Date.now() < until) timer = setTimeout(load, POLL_MS);
    };
    void load();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [analysisId]);
  return view;
}
