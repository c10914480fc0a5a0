"use client";
// Agreeing with every undecided finding at once confirms each finding the AI calls positive: the dialog
// says how many and which before anything is recorded, and only its confirm button records them.
import { useEffect, useRef } from "react";

export function AgreeRemainingDialog({
  positives,
  negatives,
  onConfirm,
  onClose,
}: {
  /** Undecided findings the AI calls positive: agreeing confirms them as present. */
  positives: string[];
  /** Undecided findings the AI calls negative: agreeing records them as absent. */
  negatives: number;
  onConfirm: () => void;
  onClose: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);
  const names = positives.map((l) => l.replaceAll("_", " "));
  return (
    <dialog
      ref={ref}
      onClose={onClose}
      aria-labelledby="agree-remaining-title"
      data-testid="agree-remaining-dialog"
      data-positives={positives.length}
      className="max-w-md rounded-lg border border-zinc-600 bg-zinc-900 p-4 text-sm text-zinc-100 backdrop:bg-black/60"
    >
      <h2 id="agree-remaining-title" className="text-base font-semibold text-white">
        Agree with {positives.length + negatives} remaining finding{positives.length + negatives === 1 ? "" : "s"}?
      </h2>
      {positives.length > 0 ? (
        <p className="mt-2" data-testid="agree-remaining-positives">
          This <strong>confirms {positives.length} finding{positives.length === 1 ? "" : "s"} the AI calls positive</strong> as present:{" "}
          {names.join(", ")}.
        </p>
      ) : (
        <p className="mt-2">None of them is a finding the AI calls positive.</p>
      )}
      {negatives > 0 && (
        <p className="mt-1 text-zinc-300">
          {negatives} finding{negatives === 1 ? "" : "s"} the AI scores negative will be recorded as absent.
        </p>
      )}
      <div className="mt-4 flex justify-end gap-2">
        <button type="button" onClick={() => ref.current?.close()} className="h-8 rounded px-3 text-xs text-zinc-200 ring-1 ring-zinc-600 hover:bg-white/10" autoFocus>
          Cancel
        </button>
        <button
          type="button"
          onClick={() => {
            onConfirm();
            ref.current?.close();
          }}
          data-testid="agree-remaining-confirm"
          className="h-8 rounded bg-sky-700 px-3 text-xs font-semibold text-white hover:bg-sky-600"
        >
          {positives.length > 0 ? `Confirm ${positives.length} positive${positives.length === 1 ? "" : "s"} and agree` : "Agree"}
        </button>
      </div>
    </dialog>
  );
}
