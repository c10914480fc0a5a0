// One bounded pool for every decode and rendering (uploads, the viewer's pixel stream, display
// images): each reserves the memory its header says it will need before a pixel is decoded, and waits
// while others hold the budget (DECODE_MEMORY_MB). An image that alone needs more is refused, so a
// small file claiming a huge image cannot take the server's memory, and neither can many at once.
import "server-only";
import { env } from "@/lib/env";
import { ImagingError } from "./errors";

const MB = 1024 * 1024;

interface Waiter {
  bytes: number;
  grant: () => void;
}

let inUse = 0;
const waiting: Waiter[] = [];

function capacity(): number {
  return env.DECODE_MEMORY_MB * MB;
}

function admit(): void {
  // First come, first served: a large decode is not starved by a stream of small ones.
  while (waiting.length > 0 && inUse + waiting[0].bytes <= capacity()) {
    const next = waiting.shift()!;
    inUse += next.bytes;
    next.grant();
  }
}

/**
 * Reserves `bytes` for the work of `fn` and releases them when it settles. `what` names the image for
 * the refusal message ("16-bit PNG image of 10950 x 10950 pixels").
 */
export async function withDecodeMemory<T>(bytes: number, what: string, fn: () => Promise<T>): Promise<T> {
  const need = Math.max(1, Math.ceil(bytes));
  if (need > capacity()) {
    throw new ImagingError(
      "decompression_bomb",
      `Decoding the ${what} would need about ${Math.ceil(need / MB)} MB; at most ${env.DECODE_MEMORY_MB} MB is allowed for decoding. ` +
        "Send a smaller image.",
    );
  }
  await new Promise<void>((grant) => {
    waiting.push({ bytes: need, grant });
    admit();
  });
  try {
    return await fn();
  } finally {
    inUse -= need;
    admit();
  }
}

/** Bytes currently reserved and decodes waiting (for metrics and tests). */
export function decodeMemoryState(): { inUseBytes: number; waiting: number; capacityBytes: number } {
  return { inUseBytes: inUse, waiting: waiting.length, capacityBytes: capacity() };
}
