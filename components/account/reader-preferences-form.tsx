"use client";
// The reader's viewer settings, saved with their account as each one is changed.
import { useReaderPreferences, type ReaderPreferences } from "@/components/viewer/reader-preferences";

type Toggle = { key: keyof ReaderPreferences; testId: string; label: string; help: string };

const TOGGLES: readonly Toggle[] = [
  {
    key: "singleKeyShortcuts",
    testId: "preference-single-key",
    label: "Single-key shortcuts",
    help: "Letters, digits, signs and arrows act in the viewer while it has focus. Off, only ? (the list of keys) does.",
  },
  {
    key: "heatmapOnOpen",
    testId: "preference-heatmap-on-open",
    label: "Open results with the heatmap shown",
    help: "Off, a result opens on the plain film (read it first, unbiased); H shows the top finding's heatmap.",
  },
];

export function ReaderPreferencesForm() {
  const [prefs, update, save] = useReaderPreferences();
  return (
    <form className="space-y-4" data-testid="preferences-form" onSubmit={(e) => e.preventDefault()}>
      <fieldset className="space-y-3 rounded-lg border border-zinc-800 p-4">
        <legend className="px-1 text-sm font-semibold text-white">Viewer</legend>
        {TOGGLES.map((t) => (
          <label key={t.key} className="flex items-start gap-3 text-sm text-zinc-200">
            <input
              type="checkbox"
              className="mt-1 h-4 w-4"
              data-testid={t.testId}
              checked={prefs[t.key]}
              onChange={(e) => update({ [t.key]: e.target.checked })}
              aria-describedby={`${t.testId}-help`}
            />
            <span>
              {t.label}
              <span id={`${t.testId}-help`} className="block text-xs text-zinc-300">
                {t.help}
              </span>
            </span>
          </label>
        ))}
      </fieldset>
      <p role="status" aria-live="polite" className="min-h-5 text-xs text-zinc-300" data-testid="preferences-status">
        {save === "saving" ? "Saving…" : save === "saved" ? "Saved to your account." : save === "failed" ? "Not saved: check the connection and try again." : ""}
      </p>
    </form>
  );
}
