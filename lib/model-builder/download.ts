import "server-only";
import { createHash } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, rename, rm } from "node:fs/promises";
import path from "node:path";

// Downloads a release checkpoint with a progress callback and a sha256 computed while streaming.
// Timeouts are explicit so an offline or firewalled machine fails in seconds with a readable
// message, not after the operating system's multi-minute TCP timeout.

export class DownloadError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "DownloadError";
  }
}

export interface DownloadProgress {
  received: number;
  total: number | null;
  bytesPerSecond: number;
}

export interface DownloadOptions {
  /** Until response headers arrive (DNS, TCP, TLS, redirects). */
  connectTimeoutMs?: number;
  /** Longest pause between two chunks of the body. */
  stallTimeoutMs?: number;
  onProgress?: (p: DownloadProgress) => void;
}

function describeNetworkError(url: string, err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  const code = cause?.code ?? (err as { code?: string }).code;
  const host = new URL(url).host;
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return `cannot resolve ${host}: this machine looks offline or has no DNS`;
  if (code === "ECONNREFUSED") return `${host} refused the connection`;
  if (code === "ECONNRESET") return `the connection to ${host} was reset`;
  if (code === "UND_ERR_CONNECT_TIMEOUT") return `connecting to ${host} timed out`;
  return `${(err as Error).message}${cause?.message ? ` (${cause.message})` : ""}`;
}

/** Download `url` to `dest` (atomically, via a .part file). Returns the sha256 and size. */
export async function download(url: string, dest: string, opts: DownloadOptions = {}): Promise<{ sha256: string; bytes: number }> {
  const connectTimeoutMs = opts.connectTimeoutMs ?? 15_000;
  const stallTimeoutMs = opts.stallTimeoutMs ?? 30_000;
  const controller = new AbortController();
  let timer = setTimeout(() => controller.abort(new DownloadError(`no response from ${new URL(url).host} within ${connectTimeoutMs / 1000} s`)), connectTimeoutMs);

  let response: Response;
  try {
    response = await fetch(url, { redirect: "follow", signal: controller.signal });
  } catch (err) {
    clearTimeout(timer);
    if (controller.signal.aborted) throw controller.signal.reason as DownloadError;
    throw new DownloadError(`download of ${url} failed: ${describeNetworkError(url, err)}`, { cause: err });
  }
  clearTimeout(timer);
  if (!response.ok || !response.body) {
    throw new DownloadError(`download of ${url} failed: HTTP ${response.status} ${response.statusText}`);
  }

  const total = Number(response.headers.get("content-length")) || null;
  await mkdir(path.dirname(dest), { recursive: true });
  const part = `${dest}.part`;
  const out = createWriteStream(part);
  const hash = createHash("sha256");
  let received = 0;
  const started = performance.now();
  const armStall = () => {
    clearTimeout(timer);
    timer = setTimeout(() => controller.abort(new DownloadError(`download stalled for ${stallTimeoutMs / 1000} s`)), stallTimeoutMs);
  };
  try {
    armStall();
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      armStall();
      hash.update(chunk);
      received += chunk.length;
      if (!out.write(chunk)) await new Promise<void>((r) => out.once("drain", () => r()));
      const seconds = (performance.now() - started) / 1000;
      opts.onProgress?.({ received, total, bytesPerSecond: seconds > 0 ? received / seconds : 0 });
    }
    clearTimeout(timer);
    await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
    if (total !== null && received !== total) throw new DownloadError(`download ended after ${received} of ${total} bytes`);
    await rename(part, dest);
    return { sha256: hash.digest("hex"), bytes: received };
  } catch (err) {
    clearTimeout(timer);
    // The stream opens its file asynchronously: wait until it is closed, or the file could appear again
    // after it was removed.
    const closed = out.closed ? Promise.resolve() : new Promise<void>((r) => out.once("close", () => r()));
    out.destroy();
    await closed;
    await rm(part, { force: true });
    if (controller.signal.aborted) throw controller.signal.reason as DownloadError;
    if (err instanceof DownloadError) throw err;
    throw new DownloadError(`download of ${url} failed: ${describeNetworkError(url, err)}`, { cause: err });
  }
}

/** A one-line progress bar for stderr: `[#########...........]  45%  12.8/28.4 MB  3.1 MB/s`. */
export function progressLine(p: DownloadProgress, width = 30): string {
  const mb = (n: number) => (n / 1e6).toFixed(1);
  const speed = `${mb(p.bytesPerSecond)} MB/s`;
  if (!p.total) return `${mb(p.received)} MB  ${speed}`;
  const frac = Math.min(1, p.received / p.total);
  const filled = Math.round(frac * width);
  return `[${"#".repeat(filled)}${".".repeat(width - filled)}] ${String(Math.round(frac * 100)).padStart(3)}%  ${mb(p.received)}/${mb(p.total)} MB  ${speed}`;
}
