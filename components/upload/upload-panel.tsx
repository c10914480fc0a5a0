"use client";
import Link from "next/link";
import { useRef, useState, type DragEvent } from "react";
import { UPLOAD_ACCEPT, UPLOAD_FORMAT_NAMES } from "@/lib/imaging/accepted-types";
import { uploadFile } from "./upload-file";
import { addUploads, clearFinished, patchUpload, useUploadList, type UploadItem } from "./upload-list";
import { ProgressBar } from "@/components/ui/progress-bar";
import { QueuedLabel } from "@/components/ui/queued-label";
import { useAnalysisProgress } from "./use-analysis-progress";

/** waiting: not sent yet; uploading; queued/analysing/done/failed: as the server reports it. */
type Item = UploadItem & {
  queuePosition?: number | null;
  /** The quality gate's warnings (e.g. "not a radiograph"): such a result is not shown as a plain success. */
  warnings?: { code: string; message: string }[];
};

// Uploads only store and queue the files, so a few go at once; the analysis queue does the pacing.
const PARALLEL = 3;

const SERVER_STATE = { queued: "queued", processing: "analysing", completed: "done", failed: "failed" } as const;

export function UploadPanel() {
  const uploaded = useUploadList();
  const [dragging, setDragging] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const progress = useAnalysisProgress(uploaded.flatMap((it) => (it.analysisId ? [it.analysisId] : [])));
  // What the server says about an accepted file wins over what the upload answer said.
  const items = uploaded.map((it): Item => {
    const p = it.analysisId ? progress.get(it.analysisId) : undefined;
    return p ? { ...it, state: SERVER_STATE[p.status], queuePosition: p.queuePosition, error: p.error ?? it.error, warnings: p.warnings } : it;
  });

  // Runs on after the page is left: the list is the tab's, not the page's.
  async function run(queue: { key: string; file: File }[]) {
    const next = async (): Promise<void> => {
      const item = queue.shift();
      if (!item) return;
      patchUpload(item.key, { state: "uploading" });
      const result = await uploadFile(item.file, (p) => patchUpload(item.key, { progress: p }));
      patchUpload(
        item.key,
        result.ok && result.analysisId
          ? { state: SERVER_STATE[result.status ?? "queued"], progress: 1, analysisId: result.analysisId, alreadyReceived: result.alreadyReceived }
          : { state: "failed", error: result.error },
      );
      return next();
    };
    await Promise.all(Array.from({ length: PARALLEL }, next));
  }

  function add(files: FileList | null) {
    if (!files?.length) return;
    const added = Array.from(files, (file, i) => ({ key: `${Date.now()}-${i}-${file.name}`, file }));
    addUploads(added.map(({ key, file }) => ({ key, fileName: file.name, state: "waiting", progress: 0 })));
    void run(added);
  }

  const finished = new Set(items.filter((it) => it.state === "done" || it.state === "failed").map((it) => it.key));

  function onDrop(e: DragEvent) {
    e.preventDefault();
    setDragging(false);
    add(e.dataTransfer.files);
  }

  return (
    <div className="space-y-4">
      <div
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
        onClick={() => input.current?.click()}
        role="button"
        tabIndex={0}
        onKeyDown={(e) => (e.key === "Enter" || e.key === " ") && input.current?.click()}
        data-testid="upload-dropzone"
        className={`flex cursor-pointer flex-col items-center justify-center gap-2 rounded-xl border-2 border-dashed px-6 py-14 text-center transition ${
          dragging ? "border-sky-400 bg-sky-950/40" : "border-zinc-700 bg-zinc-900/40 hover:border-zinc-500"
        }`}
      >
        <p className="text-base font-medium">Drop chest radiographs here, or click to choose files</p>
        <p className="text-sm text-zinc-400">{UPLOAD_FORMAT_NAMES} (any common transfer syntax), up to several at once.</p>
        <input
          ref={input}
          type="file"
          multiple
          accept={UPLOAD_ACCEPT}
          className="hidden"
          data-testid="upload-input"
          onChange={(e) => {
            add(e.target.files);
            e.target.value = "";
          }}
        />
      </div>
      {finished.size > 0 && (
        <div className="flex justify-end">
          <button type="button" onClick={() => clearFinished(finished)} data-testid="upload-clear" className="rounded px-2 py-1 text-xs text-zinc-300 ring-1 ring-zinc-700 hover:bg-white/10">
            Clear finished
          </button>
        </div>
      )}
      {items.length > 0 && (
        <ul className="divide-y divide-zinc-800 rounded-lg border border-zinc-800" data-testid="upload-list">
          {items.map((it) => (
            <li key={it.key} className="flex flex-wrap items-center gap-3 px-4 py-3 text-sm" data-testid="upload-item" data-state={it.state} data-file-name={it.fileName}>
              <span className="min-w-0 flex-1 truncate font-medium">{it.fileName}</span>
              {it.alreadyReceived && (
                <span className="w-full text-xs text-zinc-300 sm:w-auto" data-testid="upload-already-received">
                  Already received (same SOP Instance UID): this is its existing analysis, not a second image.
                </span>
              )}
              {(it.state === "uploading" || it.state === "waiting") && (
                <span className="flex w-40 items-center gap-2">
                  <ProgressBar value={it.progress} label={`Uploading ${it.fileName}`} className="h-1.5 flex-1" />
                  <span className="w-9 text-right text-xs tabular-nums text-zinc-400">{Math.round(it.progress * 100)}%</span>
                </span>
              )}
              {it.state === "queued" && <QueuedLabel position={it.queuePosition} testId="upload-queued" />}
              {it.state === "analysing" && <span className="text-xs text-sky-300">Analysing…</span>}
              {it.state === "done" && it.analysisId && (it.warnings?.length ?? 0) > 0 && (
                <span className="flex w-full flex-wrap items-center gap-2 sm:w-auto" data-testid="upload-warning" data-codes={it.warnings!.map((w) => w.code).join(",")}>
                  <span className="text-xs text-amber-300">{it.warnings![0].message}</span>
                  <Link href={`/analyses/${it.analysisId}`} className="text-xs font-medium text-amber-300 hover:underline" data-testid="upload-result-link">
                    View result (read with care) →
                  </Link>
                </span>
              )}
              {it.state === "done" && it.analysisId && !it.warnings?.length && (
                <Link href={`/analyses/${it.analysisId}`} className="text-xs font-medium text-emerald-400 hover:underline" data-testid="upload-result-link">
                  View result →
                </Link>
              )}
              {it.state === "failed" && (
                <span className="w-full text-xs text-red-400 sm:w-auto" role="alert" data-testid="upload-error">
                  {it.error}
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
