"use client";
// The reader's viewer settings, saved with their account as each one is changed.
import { useReaderPreferences } from "@/components/viewer/reader-preferences";

export function ReaderPreferencesForm() {
  const [prefs, update, save] = useReaderPreferences();
  return (
    <form className="space-y-4" data-testid="preferences-form" onSubmit={(e) => e.preventDefault()}>
      <fieldset className="space-y-3 rounded-lg border border-zinc-800 p-4">
        <legend className="px-1 text-sm font-semibold text-white">Viewer</legend>
        <label className="flex items-start gap-3 text-sm text-zinc-200">
          <input
            type="checkbox"
            className="mt-1 h-4 w-4"
            data-testid="preference-single-key"
            checked={prefs.singleKeyShortcuts}
            onChange={(e) => update({ singleKeyShortcuts: e.target.checked })}
            aria-describedby="single-key-help"
          />
          <span>
            Single-key shortcuts
            <span id="single-key-help" className="block text-xs text-zinc-300">
              Letters, digits, signs and arrows act in the viewer while it has focus. Off, only ? (the list of keys) does.
            </span>
          </span>
        </label>
        <label className="flex items-start gap-3 text-sm text-zinc-200">
          <input
            type="checkbox"
            className="mt-1 h-4 w-4"
            data-testid="preference-heatmap-on-open"
            checked={prefs.heatmapOnOpen}
            onChange={(e) => update({ heatmapOnOpen: e.target.checked })}
            aria-describedby="heatmap-help"
          />
          <span>
            Open results with the heatmap shown
            <span id="heatmap-help" className="block text-xs text-zinc-300">
              Off, a result opens on the plain film (read it first, unbiased); H shows the top finding&apos;s heatmap.
            </span>
          </span>
        </label>
      </fieldset>
      <p role="status" aria-live="polite" className="min-h-5 text-xs text-zinc-300" data-testid="preferences-status">
        {save === "saving" ? "Saving…" : save === "saved" ? "Saved to your account." : save === "failed" ? "Not saved: check the connection and try again." : ""}
      </p>
    </form>
  );
}
