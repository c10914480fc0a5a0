import { Skeleton } from "@/components/ui/skeleton";

export default function AnalysisLoading() {
  return (
    <div className="space-y-4 px-4 py-4 sm:px-6" aria-busy="true" aria-label="Loading the analysis" data-testid="analysis-loading">
      <Skeleton className="h-6 w-72" />
      <div className="grid gap-3 lg:grid-cols-[minmax(0,1fr)_minmax(340px,400px)]">
        <Skeleton className="h-[62dvh] rounded-lg" />
        <div className="space-y-2">
          {Array.from({ length: 10 }, (_, i) => (
            <Skeleton key={i} className="h-5" />
          ))}
        </div>
      </div>
    </div>
  );
}
