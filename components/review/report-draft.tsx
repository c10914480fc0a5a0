"use client";
import { useState } from "react";

/** The structured report text from the signed-off review, ready to paste into the RIS. */
export function ReportDraft({ text }: { text: string }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
      setTimeout(() => setCopied(false), 2000);
    } catch {
      // Clipboard refused (insecure origin or permissions): the text stays selectable below.
      setCopied(false);
    }
  };
  return (
    <div className="space-y-1.5">
      <div className="flex items-center justify-between">
        <h3 className="text-xs font-semibold uppercase tracking-wider text-zinc-400">Report draft</h3>
        <button type="button" onClick={copy} data-testid="copy-report" className="h-6 rounded px-2 text-[11px] text-zinc-200 ring-1 ring-zinc-700 hover:bg-white/10">
          {copied ? "Copied" : "Copy"}
        </button>
      </div>
      {/* Focusable: it scrolls, and keyboard users must be able to scroll it too. */}
      <pre data-testid="report-draft" tabIndex={0} aria-label="Report text" className="max-h-72 overflow-auto whitespace-pre-wrap rounded border border-zinc-800 bg-black/40 p-2.5 font-mono text-[11px] leading-relaxed text-zinc-200 select-text focus:outline-2 focus:outline-sky-400">
        {text}
      </pre>
    </div>
  );
}
