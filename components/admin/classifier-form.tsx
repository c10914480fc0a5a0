"use client";
// The site's findings classifier: the next analysis (in every worker) uses the one saved here; analyses
// already made keep the model that made them, which their result pages name.
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useSubmit } from "@/components/ui/use-submit";
import { apiFetch } from "@/lib/api/browser-fetch";
import type { ClassifierSettingsView } from "@/lib/ops/classifier-settings";

export function ClassifierForm({ view }: { view: ClassifierSettingsView }) {
  const router = useRouter();
  const [chosen, setChosen] = useState(view.requested);
  const [saved, setSaved] = useState<string | null>(null);
  const { busy, error, run } = useSubmit();

  const save = async () => {
    setSaved(null);
    await run(async () => {
      const next = await apiFetch<ClassifierSettingsView>("/api/settings/classifier", { method: "PUT", json: { classifier: chosen } });
      const model = next.options.find((o) => o.kind === next.serving)?.model;
      setSaved(`Saved. The next analysis uses ${model ? `${model.name} v${model.version}` : next.serving}.`);
      router.refresh();
    });
  };

  return (
    <form
      className="space-y-2 text-sm"
      data-testid="classifier-form"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <fieldset className="space-y-1">
        <legend className="mb-1 text-zinc-400">Findings classifier used for new analyses</legend>
        {view.options.map((o) => (
          <label key={o.kind} className="flex items-center gap-2">
            <input
              type="radio"
              name="classifier"
              value={o.kind}
              checked={chosen === o.kind}
              disabled={!o.model}
              onChange={() => setChosen(o.kind)}
              data-testid={`classifier-option-${o.kind}`}
            />
            <span>
              {o.title}
              <span className="ml-2 text-xs text-zinc-400">
                {o.model ? `${o.model.name} v${o.model.version}${o.model.trained ? "" : " (UNTRAINED demo)"}` : "not installed"}
              </span>
            </span>
          </label>
        ))}
      </fieldset>
      {view.reason && (
        <p className="text-amber-300" data-testid="classifier-reason">
          The DenseNet serves: {view.reason}.
        </p>
      )}
      <button
        type="submit"
        disabled={busy || chosen === view.requested}
        className="rounded bg-sky-600 px-3 py-1 font-medium text-white disabled:opacity-50"
        data-testid="classifier-save"
      >
        {busy ? "Saving…" : "Use this classifier"}
      </button>
      <p role="status" aria-live="polite" className={error ? "text-red-300" : "text-emerald-300"} data-testid="classifier-message">
        {error ?? saved ?? ""}
      </p>
    </form>
  );
}
