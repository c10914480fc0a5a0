import "server-only";
import { getStored, hasStored } from "@/lib/storage/content-store";

// The film as people see it: the 8-bit display rendering the upload stored under the image's sha256.
// Reports reach storage only through here.

export function loadDisplayImage(imageSha256: string): Promise<Buffer | null> {
  return getStored("display", imageSha256);
}

export async function hasDisplayImage(imageSha256: string): Promise<boolean> {
  return /^[0-9a-f]{64}$/.test(imageSha256) && hasStored("display", imageSha256);
}
