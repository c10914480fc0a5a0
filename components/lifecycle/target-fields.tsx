"use client";
// What a hold or an erasure is about: a patient (Patient ID and issuer, typed and sent in the body,
// never kept in a URL) or one record by its id. Shared by the hold and erasure forms.
import { Input } from "@/components/ui/input";

export interface TargetValue {
  kind: "patient" | "record";
  patientId: string;
  issuer: string;
  recordId: string;
}

export const EMPTY_TARGET: TargetValue = { kind: "patient", patientId: "", issuer: "", recordId: "" };

export function TargetFields({ name, recordLabel, value, onChange }: { name: string; recordLabel: string; value: TargetValue; onChange: (v: TargetValue) => void }) {
  const field = (key: keyof TargetValue, label: string, required: boolean) => (
    <label className="flex flex-col gap-1 text-sm text-zinc-200">
      {label}
      <Input density="compact" value={value[key]} onChange={(e) => onChange({ ...value, [key]: e.target.value })} autoComplete="off" required={required} />
    </label>
  );
  return (
    <>
      <fieldset className="flex gap-3 text-sm text-zinc-200">
        <legend className="sr-only">Applies to</legend>
        {(["patient", "record"] as const).map((k) => (
          <label key={k} className="flex items-center gap-1">
            <input type="radio" name={name} checked={value.kind === k} onChange={() => onChange({ ...value, kind: k })} /> {k === "patient" ? "Patient" : recordLabel}
          </label>
        ))}
      </fieldset>
      {value.kind === "record" ? (
        field("recordId", `${recordLabel} id`, true)
      ) : (
        <>
          {field("patientId", "Patient ID", true)}
          {field("issuer", "Issuer of Patient ID (optional)", false)}
        </>
      )}
    </>
  );
}
