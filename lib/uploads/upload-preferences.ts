import { z } from "zod";
import { AppError } from "@/lib/core/errors";

// Request headers of the upload routes (browser and v1): `Prefer: wait=N` (RFC 7240) asks to hold the
// answer until the analyses finish, up to N seconds (at most 60); `Idempotency-Key` names a request so
// that a retry of it returns the first request's analyses instead of storing them again.

export const MAX_WAIT_SECONDS = 60;

/** The `wait` preference in seconds (capped at 60), or 0 when none was asked for. */
export function preferredWaitSeconds(headers: Headers): number {
  for (const part of (headers.get("prefer") ?? "").split(/[,;]/)) {
    const m = /^\s*wait\s*=\s*"?(\d{1,6})"?\s*$/i.exec(part);
    if (m) return Math.min(MAX_WAIT_SECONDS, Number(m[1]));
  }
  return 0;
}

const IdempotencyKey = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[\x21-\x7e]+$/);

export function idempotencyKeyOf(headers: Headers): string | undefined {
  const raw = headers.get("idempotency-key");
  if (raw === null) return undefined;
  const parsed = IdempotencyKey.safeParse(raw.trim());
  if (!parsed.success) throw new AppError("bad_request", "Idempotency-Key must be 1 to 200 printable ASCII characters without spaces.");
  return parsed.data;
}
