"use client";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { apiFetch } from "@/lib/api/browser-fetch";
import type { Removal } from "@/lib/lifecycle/remove";
import { EMPTY_TARGET, TargetFields, type TargetValue } from "./target-fields";
import { useAdminAction } from "./use-admin-action";

// Erasure on request. The answer names what already went to the PACS, once: it is not kept here.
export function ErasureForm() {
  const [target, setTarget] = useState<TargetValue>(EMPTY_TARGET);
  const [confirm, setConfirm] = useState("");
  const erase = useAdminAction<Removal>();

  return (
    <section className="space-y-3 rounded-lg border border-red-900 p-4" aria-labelledby="erasure-heading" data-testid="erasure">
      <h2 id="erasure-heading" className="text-base font-semibold text-zinc-100">
        Erase on request
      </h2>
      <p className="text-sm text-zinc-300">
        Removes files, analyses, reviews, reports, share links and validation entries for good. The audit log keeps a record that an erasure happened, with no
        identifier of what was erased. Data under a legal hold is refused.
      </p>
      <form
        className="flex flex-wrap items-end gap-3"
        onSubmit={(e) => {
          e.preventDefault();
          const json = {
            target: target.kind === "record" ? { kind: "analysis", analysisId: target.recordId } : { kind: "patient", patientId: target.patientId, issuer: target.issuer || undefined },
            confirm,
          };
          void erase.run(() => apiFetch<Removal>("/api/admin/data/erasure", { method: "POST", json }));
        }}
      >
        <TargetFields name="erase-kind" recordLabel="Analysis" value={target} onChange={setTarget} />
        <label className="flex flex-col gap-1 text-sm text-zinc-200">
          Type ERASE to confirm
          <Input density="compact" value={confirm} onChange={(e) => setConfirm(e.target.value)} autoComplete="off" required />
        </label>
        <Button type="submit" variant="danger" disabled={erase.busy || confirm !== "ERASE"}>
          Erase
        </Button>
      </form>
      {erase.error && (
        <p role="alert" className="text-sm text-red-300">
          {erase.error}
        </p>
      )}
      {erase.result && (
        <div role="status" className="space-y-1 text-sm text-zinc-200" data-testid="erasure-result">
          <p>
            Erased {erase.result.analyses} analyses in {erase.result.studies} studies, {erase.result.shares} share links.
          </p>
          {erase.result.sentToPacs.length > 0 && (
            <>
              <p className="text-amber-200">Already sent to the PACS: remove these series there as well (this list is not kept).</p>
              <ul className="font-mono text-xs">
                {erase.result.sentToPacs.map((s) => (
                  <li key={s.seriesInstanceUids[0]}>
                    Study {s.studyInstanceUid ?? "(none)"}: series {s.seriesInstanceUids.join(", ")}
                  </li>
                ))}
              </ul>
            </>
          )}
        </div>
      )}
    </section>
  );
}
