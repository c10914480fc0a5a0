"use client";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { LocalTime } from "@/components/ui/local-time";
import { apiFetch } from "@/lib/api/browser-fetch";
import type { HoldView } from "@/lib/lifecycle/holds";
import { EMPTY_TARGET, TargetFields, type TargetValue } from "./target-fields";
import { useAdminAction } from "./use-admin-action";

// Legal holds: on a study (its id, from the study's page or the API) or on a patient (Patient ID and
// issuer, turned into the pseudonymous link on the server and never stored).
export function HoldsPanel({ holds }: { holds: HoldView[] }) {
  const [target, setTarget] = useState<TargetValue>(EMPTY_TARGET);
  const [reason, setReason] = useState("");
  const place = useAdminAction<HoldView>();
  const release = useAdminAction<null>();

  return (
    <section className="space-y-3 rounded-lg border border-zinc-800 p-4" aria-labelledby="holds-heading" data-testid="legal-holds">
      <h2 id="holds-heading" className="text-base font-semibold text-zinc-100">
        Legal holds
      </h2>
      {holds.length === 0 ? (
        <p className="text-sm text-zinc-300">No holds: every rule applies.</p>
      ) : (
        <ul className="divide-y divide-zinc-800 text-sm">
          {holds.map((h) => (
            <li key={h.id} className="flex flex-wrap items-center gap-3 py-2 text-zinc-200">
              <span>{h.scope === "study" ? `Study ${h.studyId}` : "A patient (by Patient ID)"}</span>
              <span className="text-zinc-300">{h.reason}</span>
              <LocalTime iso={new Date(h.createdAt).toISOString()} />
              <Button
                variant="secondary"
                size="sm"
                disabled={release.busy}
                onClick={() => void release.run(() => apiFetch<null>(`/api/admin/data/holds/${h.id}`, { method: "DELETE" }))}
                aria-label={`Release the hold: ${h.reason}`}
              >
                Release
              </Button>
            </li>
          ))}
        </ul>
      )}
      <form
        className="flex flex-wrap items-end gap-3"
        onSubmit={(e) => {
          e.preventDefault();
          const json = target.kind === "record" ? { studyId: target.recordId, reason } : { patientId: target.patientId, issuer: target.issuer || undefined, reason };
          void place.run(() => apiFetch<HoldView>("/api/admin/data/holds", { method: "POST", json }));
        }}
      >
        <TargetFields name="hold-scope" recordLabel="Study" value={target} onChange={setTarget} />
        <label className="flex flex-col gap-1 text-sm text-zinc-200">
          Reason (case or ticket, no patient names)
          <Input density="compact" value={reason} onChange={(e) => setReason(e.target.value)} required />
        </label>
        <Button type="submit" disabled={place.busy}>
          Place hold
        </Button>
      </form>
      {(place.error ?? release.error) && (
        <p role="alert" className="text-sm text-red-300">
          {place.error ?? release.error}
        </p>
      )}
    </section>
  );
}
