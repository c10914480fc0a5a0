"use client";
// Making a validation set: from the signed-off reviews of a period, or from images uploaded here with a
// labels CSV. The images go through the normal upload path (one request per file, as the upload page
// does); the set then waits on the server for their analyses to finish.
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useSubmit } from "@/components/ui/use-submit";
import { uploadFile } from "@/components/upload/upload-file";
import { Button } from "@/components/ui/button";
import { apiFetch } from "@/lib/api/browser-fetch";

const field = "rounded border border-zinc-700 bg-zinc-950 px-2 py-1.5 text-sm text-zinc-100";
const today = () => new Date().toISOString().slice(0, 10);

export function CreateSetForm() {
  const router = useRouter();
  const [mode, setMode] = useState<"reviews" | "upload">("reviews");
  const [name, setName] = useState("");
  const [from, setFrom] = useState(() => new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10));
  const [to, setTo] = useState(today);
  const [images, setImages] = useState<File[]>([]);
  const [labels, setLabels] = useState<File | null>(null);
  const [progress, setProgress] = useState<string | null>(null);
  const { busy, error, run } = useSubmit();

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    const ok = await run(async () => {
      let body: unknown;
      if (mode === "reviews") {
        body = { source: "reviews", name, from, to };
      } else {
        if (!labels) throw new Error("Choose the labels CSV.");
        if (images.length === 0) throw new Error("Choose the images.");
        const labelsCsv = await labels.text();
        // The labels file is checked before any film is uploaded: a refused file leaves nothing behind.
        setProgress("Checking the labels file…");
        await apiFetch("/api/validation/labels-check", { method: "POST", json: { labelsCsv, fileNames: images.map((f) => f.name) } });
        const ids: string[] = [];
        for (const [i, file] of images.entries()) {
          setProgress(`Uploading ${i + 1} of ${images.length}: ${file.name}`);
          const r = await uploadFile(file, () => {}, { purpose: "validation" });
          if (!r.ok || !r.analysisId) throw new Error(`${file.name}: ${r.error ?? "the upload failed"}`);
          ids.push(r.analysisId);
        }
        setProgress("Creating the set…");
        body = { source: "upload", name, labelsCsv, analysisIds: ids };
      }
      const created = await apiFetch<{ id: string }>("/api/validation/sets", { method: "POST", json: body });
      router.push(`/validation/${created.id}`);
    }, { staysBusy: true });
    if (!ok) setProgress(null);
  }

  return (
    <form onSubmit={submit} className="space-y-3 text-sm" data-testid="create-validation-set">
      <div className="flex gap-2" role="tablist">
        {(["reviews", "upload"] as const).map((m) => (
          <Button key={m} role="tab" aria-selected={mode === m} variant={mode === m ? "primary" : "secondary"} size="sm" onClick={() => setMode(m)} data-testid={`source-${m}`}>
            {m === "reviews" ? "From signed-off reviews" : "From images + labels CSV"}
          </Button>
        ))}
      </div>
      <label className="flex flex-col gap-1">
        <span className="text-zinc-300">Name</span>
        <input className={field} value={name} onChange={(e) => setName(e.target.value)} required maxLength={120} data-testid="set-name" placeholder="e.g. March 2026 ED films" />
      </label>
      {mode === "reviews" ? (
        <div className="flex flex-wrap gap-3">
          <label className="flex flex-col gap-1">
            <span className="text-zinc-300">Signed off from (UTC)</span>
            <input type="date" className={field} value={from} onChange={(e) => setFrom(e.target.value)} required data-testid="period-from" />
          </label>
          <label className="flex flex-col gap-1">
            <span className="text-zinc-300">to (inclusive)</span>
            <input type="date" className={field} value={to} onChange={(e) => setTo(e.target.value)} required data-testid="period-to" />
          </label>
          <p className="basis-full text-xs text-zinc-500">The current version of each review signed off in the period is the ground truth: agreeing with a positive call or adding a missed finding means present, disagreeing means absent; undecided findings are unknown.</p>
        </div>
      ) : (
        <div className="flex flex-wrap gap-3">
          <label className="flex flex-col gap-1">
            <span className="text-zinc-300">Images</span>
            <input type="file" multiple accept=".png,.jpg,.jpeg,.dcm,image/*,application/dicom" onChange={(e) => setImages([...(e.target.files ?? [])])} data-testid="set-images" />
          </label>
          <label className="flex flex-col gap-1">
            <span className="text-zinc-300">Labels CSV</span>
            <input type="file" accept=".csv,text/csv" onChange={(e) => setLabels(e.target.files?.[0] ?? null)} data-testid="set-labels" />
          </label>
          <p className="basis-full text-xs text-zinc-500">
            A <code>file</code> column with each image&apos;s file name and one column per finding (the model&apos;s labels): 1 present, 0 absent, empty unknown. The images are analysed like any upload
            but kept apart from clinical work: they appear only in this set, never in the worklist, statistics or a patient&apos;s studies.
          </p>
        </div>
      )}
      <div className="flex items-center gap-3">
        <Button type="submit" disabled={busy} data-testid="create-set">
          {busy ? "Working…" : "Create validation set"}
        </Button>
        {progress && <span className="text-zinc-400" data-testid="create-progress">{progress}</span>}
      </div>
      {error && (
        <p role="alert" className="text-red-300" data-testid="create-error">
          {error}
        </p>
      )}
    </form>
  );
}
