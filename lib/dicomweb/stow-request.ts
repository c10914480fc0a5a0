import { AppError } from "@/lib/core/errors";
import { mediaTypeParams, MultipartRelatedError, parseMultipartRelated, type RelatedPart } from "./multipart-related";

// The body of a STOW-RS request (PS3.18 10.5.1.2): multipart/related with DICOM Part 10 parts. A body
// that is not one is refused whole (415/400); a part that is not DICOM is refused on its own later.

export function stowRequestParts(contentType: string | null, body: Buffer): RelatedPart[] {
  const { type, params } = mediaTypeParams(contentType ?? "");
  if (type !== "multipart/related" || (params.type && params.type.toLowerCase() !== "application/dicom")) {
    throw new AppError("unsupported_media_type", 'Send the instances as multipart/related; type="application/dicom" (PS3.18 STOW-RS).', {
      subcode: "not_stow_multipart",
    });
  }
  let parts: RelatedPart[];
  try {
    parts = parseMultipartRelated(body, contentType!);
  } catch (error) {
    if (error instanceof MultipartRelatedError) throw new AppError("bad_request", `The multipart body could not be read: ${error.message}.`, { subcode: "malformed_multipart" });
    throw error;
  }
  if (parts.length === 0) throw new AppError("bad_request", "The request carries no instance.", { subcode: "no_instance" });
  return parts;
}
