import { REVIEW_STATUS_LABEL, type ReviewStatus } from "@/lib/worklist/input";

const styles: Record<ReviewStatus, string> = {
  unreviewed: "border-zinc-600 text-zinc-300",
  in_review: "border-sky-500/60 bg-sky-500/10 text-sky-300",
  signed_off: "border-emerald-500/60 bg-emerald-500/10 text-emerald-300",
};

export function ReviewStatusChip({ status }: { status: ReviewStatus }) {
  return (
    <span data-testid="review-status" data-status={status} className={`inline-flex items-center whitespace-nowrap rounded border px-1.5 py-0.5 text-[11px] font-medium ${styles[status]}`}>
      {REVIEW_STATUS_LABEL[status]}
    </span>
  );
}
