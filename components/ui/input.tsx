import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes } from "react";
import { cn } from "./cn";

// Form controls of the signed-in app: "form" for one-column forms (account, invitation), "compact"
// for the admin console's inline forms and tables.
const base = "rounded bg-zinc-900 px-2 ring-1 ring-zinc-700 focus:outline-none focus:ring-sky-500";
const densities = { form: "w-full py-2", compact: "py-1.5 text-sm" } as const;
type Density = keyof typeof densities;

export function Input({ density = "form", className, ...rest }: InputHTMLAttributes<HTMLInputElement> & { density?: Density }) {
  return <input className={cn(base, densities[density], className)} {...rest} />;
}

export function Select({ density = "compact", className, ...rest }: SelectHTMLAttributes<HTMLSelectElement> & { density?: Density }) {
  return <select className={cn(base, densities[density], className)} {...rest} />;
}

/** A labelled control: the label above it, in the layout of its density. */
export function Field({ label, density = "form", children }: { label: ReactNode; density?: Density; children: ReactNode }) {
  return density === "form" ? (
    <label className="block space-y-1 text-sm">
      <span>{label}</span>
      {children}
    </label>
  ) : (
    <label className="flex flex-col gap-1 text-xs text-zinc-400">
      {label}
      {children}
    </label>
  );
}
