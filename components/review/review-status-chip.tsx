import { REVIEW_STATUS_LABEL, type ReviewStatus } from "@/lib/worklist/input";
import { Badge } from "@/components/ui/badge";

const tones = { unreviewed: "neutral", in_review: "info", signed_off: "success" } as const satisfies Record<ReviewStatus, string>;

export function ReviewStatusChip({ status }: { status: ReviewStatus }) {
  return (
    <Badge tone={tones[status]} data-testid="review-status" data-status={status} className="whitespace-nowrap">
      {REVIEW_STATUS_LABEL[status]}
    </Badge>
  );
}
