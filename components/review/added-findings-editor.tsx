"use client";
import { useState } from "react";

/** Findings the model missed: one of its negative labels, or a short free-text finding. */
export function AddedFindingsEditor({
  added,
  negativeLabels,
  readOnly,
  onAdd,
  onRemove,
}: {
  added: string[];
  negativeLabels: string[];
  readOnly: boolean;
  onAdd: (finding: string) => void;
  onRemove: (finding: string) => void;
}) {
  const [text, setText] = useState("");
  const options = negativeLabels.filter((l) => !added.includes(l));
  const submitText = () => {
    const t = text.trim();
    if (t) onAdd(t);
    setText("");
  };
  return (
    <div className="space-y-2" data-testid="added-findings">
      {added.length > 0 ? (
        <ul className="flex flex-wrap gap-1.5">
          {added.map((f) => (
            <li key={f} className="inline-flex items-center gap-1 rounded bg-rose-500/15 px-2 py-0.5 text-xs text-rose-200 ring-1 ring-rose-500/40" data-testid="added-finding">
              {f.replaceAll("_", " ")}
              {!readOnly && (
                <button type="button" aria-label={`Remove ${f}`} onClick={() => onRemove(f)} className="ml-0.5 text-rose-300 hover:text-white">
                  ×
                </button>
              )}
            </li>
          ))}
        </ul>
      ) : (
        <p className="text-xs text-zinc-500">No missed findings added.</p>
      )}
      {!readOnly && (
        <div className="flex flex-wrap gap-1.5">
          <select
            aria-label="Add a finding the AI missed"
            data-testid="add-missed-label"
            value=""
            onChange={(e) => e.target.value && onAdd(e.target.value)}
            className="h-7 min-w-0 flex-1 rounded border border-zinc-700 bg-zinc-900 px-1.5 text-xs text-zinc-200"
          >
            <option value="">+ AI-negative finding…</option>
            {options.map((l) => (
              <option key={l} value={l}>
                {l.replaceAll("_", " ")}
              </option>
            ))}
          </select>
          <input
            value={text}
            onChange={(e) => setText(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === "Enter") {
                e.preventDefault();
                submitText();
              }
            }}
            maxLength={120}
            placeholder="Other finding (free text)"
            aria-label="Other missed finding"
            data-testid="add-missed-text"
            className="h-7 min-w-0 flex-1 rounded border border-zinc-700 bg-zinc-900 px-2 text-xs text-zinc-100 placeholder:text-zinc-500"
          />
          <button type="button" onClick={submitText} className="h-7 rounded px-2 text-xs text-zinc-200 ring-1 ring-zinc-700 hover:bg-white/10">
            Add
          </button>
        </div>
      )}
    </div>
  );
}
