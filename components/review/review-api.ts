// Browser-side calls to the review routes (errors: ApiRequestError, whose message is shown as is).
import { apiFetch } from "@/lib/api/browser-fetch";
import type { AmendInput, OwnDraft, ReviewDraftInput, ReviewState } from "@/lib/reviews/input";

export type ReviewResponse = ReviewState & { report: string | null };

const call = (url: string, method: string, json: unknown) => apiFetch<ReviewResponse>(url, { method, json });

const base = (id: string) => `/api/analyses/${encodeURIComponent(id)}/review`;

export const reviewApi = {
  saveDraft: (id: string, input: ReviewDraftInput) => call(base(id), "PUT", input),
  /** The reader's own draft, saved as they type (only they see it). */
  saveOwnDraft: (id: string, input: ReviewDraftInput) => apiFetch<Pick<OwnDraft, "savedAt">>(`${base(id)}/draft`, { method: "PUT", json: input }),
  signOff: (id: string, input: ReviewDraftInput) => call(`${base(id)}/sign-off`, "POST", input),
  amend: (id: string, input: AmendInput) => call(`${base(id)}/amend`, "POST", input),
};
