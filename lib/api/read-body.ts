// Reads a request body with a byte limit that holds before memory is spent: the declared
// Content-Length is checked first, then the bytes actually received are counted (a chunked body
// declares nothing), and reading stops at the limit. JSON bodies and multipart uploads both come here.

export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`body larger than ${limit} bytes`);
    this.name = "BodyTooLargeError";
  }
}

/**
 * Hands each chunk of the body to `onChunk` as it arrives, or throws BodyTooLargeError as soon as more
 * than `limit` bytes are declared or received (before the chunk past the limit is handed on).
 */
export async function forEachBodyChunk(req: Request, limit: number, onChunk: (chunk: Uint8Array) => void): Promise<void> {
  const declared = Number(req.headers.get("content-length") ?? NaN);
  if (Number.isFinite(declared) && declared > limit) {
    // Nothing is read: the client learns at once that sending the rest is pointless.
    await req.body?.cancel().catch(() => undefined);
    throw new BodyTooLargeError(limit);
  }
  if (!req.body) return;
  const reader = req.body.getReader();
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => undefined);
      throw new BodyTooLargeError(limit);
    }
    onChunk(value);
  }
}

/** The whole body, or BodyTooLargeError as soon as more than `limit` bytes are declared or received. */
export async function readBodyLimited(req: Request, limit: number): Promise<Uint8Array<ArrayBuffer>> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  await forEachBodyChunk(req, limit, (chunk) => {
    chunks.push(chunk);
    total += chunk.byteLength;
  });
  const out = new Uint8Array(new ArrayBuffer(total));
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.byteLength;
  }
  return out;
}
