"use client";
// The viewer's keyboard sheet as a modal dialog: focus moves into it and stays there until it closes
// (Escape or the close button), then returns to where it was. It also holds the reader's key settings.
import { useEffect, useRef, type KeyboardEvent } from "react";
import { useReaderPreferences } from "./reader-preferences";
import { SHORTCUTS } from "./shortcuts";

export function ShortcutSheet({ onClose }: { onClose: () => void }) {
  const dialog = useRef<HTMLDivElement>(null);
  const [prefs, setPrefs] = useReaderPreferences();

  useEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    dialog.current?.focus();
    return () => before?.focus?.();
  }, []);

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === "Escape" || e.key === "?") {
      e.preventDefault();
      e.stopPropagation();
      onClose();
      return;
    }
    if (e.key === "Tab") {
      // Focus stays inside the dialog while it is open.
      const items = [...(dialog.current?.querySelectorAll<HTMLElement>("button, input") ?? [])];
      if (items.length === 0) return;
      const first = items[0];
      const last = items[items.length - 1];
      if (e.shiftKey && (document.activeElement === first || document.activeElement === dialog.current)) {
        e.preventDefault();
        last.focus();
      } else if (!e.shiftKey && document.activeElement === last) {
        e.preventDefault();
        first.focus();
      }
    }
    // Keys typed in the dialog are not the viewer's.
    e.stopPropagation();
  };

  return (
    <div className="absolute inset-0 z-10 flex items-center justify-center bg-black/60 p-4" onClick={onClose}>
      <div
        ref={dialog}
        tabIndex={-1}
        role="dialog"
        aria-modal="true"
        aria-labelledby="viewer-shortcuts-title"
        data-testid="shortcut-sheet"
        onKeyDown={onKeyDown}
        onClick={(e) => e.stopPropagation()}
        className="max-h-full w-full max-w-lg overflow-auto rounded-lg border border-white/10 bg-zinc-900 p-4 text-sm text-zinc-200 shadow-2xl focus:outline-none"
      >
        <div className="mb-2 flex items-center justify-between">
          <h2 id="viewer-shortcuts-title" className="text-sm font-semibold text-white">
            Keyboard shortcuts
          </h2>
          <button type="button" onClick={onClose} className="rounded px-2 py-0.5 text-xs text-zinc-200 ring-1 ring-zinc-600 hover:bg-white/10">
            Close
          </button>
        </div>
        <p className="mb-2 text-xs text-zinc-300">They act while the viewer has focus (click the film or Tab to it).</p>
        <fieldset className="mb-3 space-y-1 text-xs">
          <legend className="sr-only">Settings</legend>
          <label className="flex items-center gap-2">
            <input type="checkbox" data-testid="setting-single-key" checked={prefs.singleKeyShortcuts} onChange={(e) => setPrefs({ singleKeyShortcuts: e.target.checked })} />
            Single-key shortcuts (letters, digits, signs and arrows)
          </label>
          <label className="flex items-center gap-2">
            <input type="checkbox" data-testid="setting-heatmap-on-open" checked={prefs.heatmapOnOpen} onChange={(e) => setPrefs({ heatmapOnOpen: e.target.checked })} />
            Open results with the top finding&apos;s heatmap shown
          </label>
        </fieldset>
        <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1.5">
          {SHORTCUTS.map((s) => (
            <div key={s.description} className="contents">
              <dt className="flex gap-1">
                {s.keys.map((k) => (
                  <kbd key={k} className="rounded border border-white/20 bg-zinc-800 px-1.5 font-mono text-[11px]">
                    {k}
                  </kbd>
                ))}
              </dt>
              <dd className="text-zinc-300">{s.description}</dd>
            </div>
          ))}
        </dl>
      </div>
    </div>
  );
}
