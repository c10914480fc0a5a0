import "server-only";
import { getStored, hasStored } from "@/lib/storage/content-store";

// The film as people see it: the 8-bit display rendering stored by image sha256.

export function loadDisplayImage(imageSha256: string): Promise<Buffer | null> {
  return getStored("display", imageSha256);
}

export function hasDisplayImage(imageSha256: string): Promise<boolean> {
  return /^[0-9a-f]{64}$/.test(imageSha256) ? hasStored("display", imageSha256) : Promise.resolve(false);
}
