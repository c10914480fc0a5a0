// Browser-side calls to the review routes. Errors arrive as problem+json; their `detail` is written for
// people and is shown as is.
import type { AmendInput, ReviewDraftInput, ReviewState } from "@/lib/reviews/schema";

export type ReviewResponse = ReviewState & { report: string | null };

export class ReviewRequestError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code?: string,
  ) {
    super(message);
  }
}

async function call(url: string, method: string, body: unknown): Promise<ReviewResponse> {
  const res = await fetch(url, { method, headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  if (!res.ok) {
    const problem = (await res.json().catch(() => null)) as { detail?: string; code?: string } | null;
    throw new ReviewRequestError(problem?.detail ?? `Request failed (${res.status}).`, res.status, problem?.code);
  }
  return (await res.json()) as ReviewResponse;
}

const base = (id: string) => `/api/analyses/${encodeURIComponent(id)}/review`;

export const reviewApi = {
  saveDraft: (id: string, input: ReviewDraftInput) => call(base(id), "PUT", input),
  signOff: (id: string, input: ReviewDraftInput) => call(`${base(id)}/sign-off`, "POST", input),
  amend: (id: string, input: AmendInput) => call(`${base(id)}/amend`, "POST", input),
};
