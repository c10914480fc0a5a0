export default function Loading() {
  return (
    <div className="space-y-3 px-4 py-6 sm:px-6" aria-busy="true" aria-label="Loading">
      <div className="h-6 w-48 animate-pulse rounded bg-zinc-800" />
      <div className="h-64 animate-pulse rounded-lg bg-zinc-900" />
    </div>
  );
}
