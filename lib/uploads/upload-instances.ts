import "server-only";
import { AppError } from "@/lib/core/errors";
import type { ImageFormat } from "@/lib/imaging/types";
import { isResend, receivedInstances, type InstanceIdentity } from "./instance-claims";
import { instanceHeaderOf, isValidUid } from "./instance-header";

// The uploads' side of "one image per SOP Instance UID" (./instance-claims.ts): before an upload
// writes anything, each DICOM file is sorted into a new instance (claimed with its analysis), a
// re-send of one received before or earlier in the same request (answered with that analysis), or a
// different file under a UID already taken (refused, as STOW-RS refuses it).

export interface UploadInstance extends InstanceIdentity {
  contentSha256: string;
}

/** The instance a DICOM upload is, or null for a picture or a header without a usable UID. */
export function instanceOfUpload(bytes: Buffer, format: ImageFormat, contentSha256: string): UploadInstance | null {
  if (format !== "dicom") return null;
  const h = instanceHeaderOf(bytes);
  if (!h || !isValidUid(h.sopInstanceUid)) return null;
  return { sopInstanceUid: h.sopInstanceUid, sopClassUid: h.sopClassUid, contentSha256 };
}

export function reusedUidError(): AppError {
  return new AppError(
    "conflict",
    "An image with this SOP Instance UID was already received with different content. It was not stored; an image needs a SOP Instance UID of its own.",
    { subcode: "duplicate_sop_instance" },
  );
}

export type InstanceSort =
  | { kind: "new" }
  /** Received before: its analysis is the answer. */
  | { kind: "received"; analysisId: string }
  /** The same instance as an earlier file of this request: that file's analysis is the answer. */
  | { kind: "same_as"; position: number }
  | { kind: "refused"; error: AppError };

/** How each of `instances` (one per file, null for non-DICOM) is answered, in the same order. */
export async function sortInstances(instances: (UploadInstance | null)[]): Promise<InstanceSort[]> {
  const uids = [...new Set(instances.flatMap((i) => (i ? [i.sopInstanceUid] : [])))];
  const received = await receivedInstances(uids);
  const firstInRequest = new Map<string, number>();
  return instances.map((instance, position): InstanceSort => {
    if (!instance) return { kind: "new" };
    const existing = received.get(instance.sopInstanceUid);
    if (existing) return isResend(existing, instance.contentSha256) ? { kind: "received", analysisId: existing.analysisId } : { kind: "refused", error: reusedUidError() };
    const first = firstInRequest.get(instance.sopInstanceUid);
    if (first === undefined) {
      firstInRequest.set(instance.sopInstanceUid, position);
      return { kind: "new" };
    }
    return isResend(instances[first]!, instance.contentSha256) ? { kind: "same_as", position: first } : { kind: "refused", error: reusedUidError() };
  });
}
