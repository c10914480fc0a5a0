"use client";

import { useState } from "react";

/** A secret the server will never show again: copy button, and a plain warning. */
export function SecretOnce({ label, value, note, onDone }: { label: string; value: string; note?: string; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  return (
    <div role="alert" className="space-y-2 rounded-md border border-amber-500/60 bg-amber-950/40 p-3 text-sm" data-testid="secret-once">
      <p className="font-medium text-amber-200">{label}</p>
      <div className="flex flex-wrap items-center gap-2">
        <code className="break-all rounded bg-zinc-900 px-2 py-1 font-mono text-xs text-zinc-100 select-all" data-testid="secret-value">
          {value}
        </code>
        <button
          type="button"
          className="rounded bg-zinc-700 px-2 py-1 text-xs hover:bg-zinc-600"
          onClick={async () => {
            await navigator.clipboard?.writeText(value).catch(() => undefined);
            setCopied(true);
          }}
        >
          {copied ? "Copied" : "Copy"}
        </button>
      </div>
      <p className="text-xs text-amber-100/80">{note ?? "This is shown only once. Store it now; it cannot be displayed again."}</p>
      <button type="button" className="text-xs text-zinc-300 underline" onClick={onDone}>
        I have stored it
      </button>
    </div>
  );
}
