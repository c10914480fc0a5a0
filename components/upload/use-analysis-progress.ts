"use client";
import { useEffect, useState } from "react";
import { apiFetch } from "@/lib/api/browser-fetch";

export interface Progress {
  id: string;
  status: "queued" | "processing" | "completed" | "failed";
  queuePosition: number | null;
  error: string | null;
  warnings?: { code: string; message: string }[];
}

const POLL_MS = 1_000;

/**
 * Follows analyses until they finish: one request a second for all unfinished ones (GET
 * /api/analyses/progress), none once every one is completed or failed.
 */
export function useAnalysisProgress(ids: string[]): Map<string, Progress> {
  const [progress, setProgress] = useState<Map<string, Progress>>(new Map());
  const key = ids.join(",");

  useEffect(() => {
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const finished = new Set<string>();
    const tick = async () => {
      const open = key.split(",").filter((id) => id && !finished.has(id));
      if (open.length === 0) return;
      try {
        for (let i = 0; i < open.length; i += 50) {
          const { analyses } = await apiFetch<{ analyses: Progress[] }>(`/api/analyses/progress?ids=${open.slice(i, i + 50).join(",")}`);
          if (cancelled) return;
          for (const a of analyses) if (a.status === "completed" || a.status === "failed") finished.add(a.id);
          setProgress((all) => {
            const next = new Map(all);
            for (const a of analyses) next.set(a.id, a);
            return next;
          });
        }
      } catch {
        // A failed poll (server restarting, database away) is simply tried again.
      }
      if (!cancelled) timer = setTimeout(tick, POLL_MS);
    };
    void tick();
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [key]);
  return progress;
}
