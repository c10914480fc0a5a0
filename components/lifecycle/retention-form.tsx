"use client";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { apiFetch } from "@/lib/api/browser-fetch";
import type { LifecycleView } from "@/lib/lifecycle/admin-service";
import type { RetentionCounts } from "@/lib/lifecycle/retention";
import { useAdminAction } from "./use-admin-action";

const FIELDS = [
  { key: "originalsDays", label: "Original files (days)", help: "DICOM, PNG and JPEG as uploaded." },
  { key: "renderingsDays", label: "Display images and thumbnails (days)", help: "What the viewer shows." },
  { key: "analysesDays", label: "Analyses, reviews and reports (days)", help: "Everything of an analysis." },
] as const;

type Key = (typeof FIELDS)[number]["key"];

export function RetentionForm({ view }: { view: LifecycleView }) {
  const [values, setValues] = useState<Record<Key, string>>(() => ({
    originalsDays: view.rules.originalsDays?.toString() ?? "",
    renderingsDays: view.rules.renderingsDays?.toString() ?? "",
    analysesDays: view.rules.analysesDays?.toString() ?? "",
  }));
  const save = useAdminAction<LifecycleView>();
  const runNow = useAdminAction<{ removed: RetentionCounts }>();
  const toDays = (v: string) => (v.trim() === "" ? null : Number(v));

  return (
    <section className="space-y-3 rounded-lg border border-zinc-800 p-4" aria-labelledby="retention-heading" data-testid="retention-rules">
      <h2 id="retention-heading" className="text-base font-semibold text-zinc-100">
        Retention rules
      </h2>
      <p className="text-sm text-zinc-300">
        Counted from each upload. Leave a field empty to keep forever. A legal hold stops every rule for what it covers. The job runs on the schedule{" "}
        <code className="text-zinc-100">{view.schedule}</code>, at most {view.batch} items of each kind per run.
      </p>
      <form
        className="flex flex-wrap items-end gap-3"
        onSubmit={(e) => {
          e.preventDefault();
          void save.run(() =>
            apiFetch<LifecycleView>("/api/admin/data/retention", {
              method: "PUT",
              json: { originalsDays: toDays(values.originalsDays), renderingsDays: toDays(values.renderingsDays), analysesDays: toDays(values.analysesDays) },
            }),
          );
        }}
      >
        {FIELDS.map((f) => (
          <label key={f.key} className="flex flex-col gap-1 text-sm text-zinc-200">
            {f.label}
            <Input
              density="compact"
              type="number"
              min={1}
              inputMode="numeric"
              placeholder="forever"
              value={values[f.key]}
              onChange={(e) => setValues((s) => ({ ...s, [f.key]: e.target.value }))}
              aria-describedby={`${f.key}-help`}
              data-testid={`retention-${f.key}`}
            />
            <span id={`${f.key}-help`} className="text-xs text-zinc-300">
              {f.help}
            </span>
          </label>
        ))}
        <Button type="submit" disabled={save.busy}>
          Save rules
        </Button>
      </form>
      {save.error && (
        <p role="alert" className="text-sm text-red-300">
          {save.error}
        </p>
      )}
      <div className="flex flex-wrap items-center gap-3 text-sm text-zinc-200" data-testid="retention-dry-run">
        <span>
          A run now would remove: <strong>{view.due.originals}</strong> originals, <strong>{view.due.renderings}</strong> sets of renderings,{" "}
          <strong>{view.due.analyses}</strong> analyses.
        </span>
        <Button
          variant="danger"
          size="sm"
          disabled={runNow.busy || view.due.originals + view.due.renderings + view.due.analyses === 0}
          onClick={() => {
            if (!window.confirm("Remove what the dry run lists now? This cannot be undone.")) return;
            void runNow.run(() => apiFetch("/api/admin/data/retention/run", { method: "POST", json: { confirm: true } }));
          }}
        >
          Run now
        </Button>
      </div>
      {runNow.result && (
        <p role="status" className="text-sm text-emerald-300" data-testid="retention-run-result">
          Removed {runNow.result.removed.originals} originals, {runNow.result.removed.renderings} sets of renderings and {runNow.result.removed.analyses} analyses.
        </p>
      )}
      {runNow.error && (
        <p role="alert" className="text-sm text-red-300">
          {runNow.error}
        </p>
      )}
    </section>
  );
}
