import { cn } from "./cn";

/** A grey placeholder block for loading states. */
export function Skeleton({ className }: { className?: string }) {
  return <div aria-hidden className={cn("animate-pulse rounded bg-zinc-800/80", className)} />;
}
