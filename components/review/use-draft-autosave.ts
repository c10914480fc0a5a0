"use client";
// Saves a review draft on the server while the radiologist types (after a short pause), and asks before
// the page is left while something typed is not saved yet. Nothing typed is lost to a click elsewhere.
import { useEffect, useRef, useState } from "react";

export type DraftSaveState = "idle" | "saving" | "saved" | "failed";

const PAUSE_MS = 1_000;

/**
 * `value` is what would be saved; `changed` says whether it differs from what the server holds.
 * `autosave` false (e.g. an amendment, which is signed, never drafted) keeps only the leave prompt.
 */
export function useDraftAutosave<T>({
  value,
  changed,
  autosave,
  save,
}: {
  value: T;
  changed: boolean;
  autosave: boolean;
  save: (value: T) => Promise<void>;
}): DraftSaveState {
  const [state, setState] = useState<DraftSaveState>("idle");
  const saveRef = useRef(save);
  useEffect(() => {
    saveRef.current = save;
  });

  useEffect(() => {
    if (!changed || !autosave) return;
    let cancelled = false;
    const timer = setTimeout(async () => {
      setState("saving");
      try {
        await saveRef.current(value);
        if (!cancelled) setState("saved");
      } catch {
        if (!cancelled) setState("failed");
      }
    }, PAUSE_MS);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [value, changed, autosave]);

  // The browser's own "leave this page?" prompt while anything typed is not on the server.
  useEffect(() => {
    if (!changed) return;
    const onBeforeUnload = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      e.returnValue = "";
    };
    window.addEventListener("beforeunload", onBeforeUnload);
    return () => window.removeEventListener("beforeunload", onBeforeUnload);
  }, [changed]);

  // In-app links do not unload the page: ask the same question before following one.
  useEffect(() => {
    if (!changed) return;
    const onClick = (e: MouseEvent) => {
      const a = (e.target as Element | null)?.closest?.("a[href]") as HTMLAnchorElement | null;
      if (!a || a.target === "_blank" || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey) return;
      if (new URL(a.href, window.location.href).pathname === window.location.pathname) return;
      if (!window.confirm("Your review has changes that are not saved yet. Leave this page?")) {
        e.preventDefault();
        e.stopPropagation();
      }
    };
    document.addEventListener("click", onClick, true);
    return () => document.removeEventListener("click", onClick, true);
  }, [changed]);

  return state;
}
