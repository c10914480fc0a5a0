// A study's triage and its reading image, from its images. Pure, so the worklist, the study page and
// the API agree. A lateral (or any image the quality gates make not assessable) does not pull the study
// down to "not assessable" while a frontal film of the same visit was read: only when no image of the
// study is assessable is the study not assessable.
import { TRIAGE_RANK, type TriageLevel } from "@/lib/triage/rules";

export interface StudyImage {
  analysisId: string;
  triageLevel: TriageLevel | null;
  createdAt: Date | string;
}

const rank = (level: TriageLevel | null) => (level === null ? 0.5 : TRIAGE_RANK[level]); // processing: may be critical

export function studyTriage(images: readonly StudyImage[]): TriageLevel | null {
  const assessable = images.filter((i) => i.triageLevel !== "not_assessable");
  if (assessable.length === 0) return images.length > 0 ? "not_assessable" : null;
  return [...assessable].sort((a, b) => rank(a.triageLevel) - rank(b.triageLevel))[0].triageLevel;
}

/** The image the study is read by: the most urgent assessable one, else the first uploaded. */
export function primaryImage<T extends StudyImage>(images: readonly T[]): T | undefined {
  const time = (i: StudyImage) => new Date(i.createdAt).getTime();
  const assessable = images.filter((i) => i.triageLevel !== "not_assessable");
  const pool = assessable.length > 0 ? assessable : images;
  return [...pool].sort((a, b) => rank(a.triageLevel) - rank(b.triageLevel) || time(a) - time(b))[0];
}
