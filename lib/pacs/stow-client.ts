import "server-only";
import { encodeMultipartRelated } from "@/lib/dicomweb/multipart-related";
import { env } from "@/lib/env";
import type { WrittenInstance } from "./sr-document";

// STOW-RS client (PS3.18 10.5) for pushing results to the PACS at DICOMWEB_RESULTS_URL. An answer
// that does not confirm every instance is a failure, retried by the delivery jobs.

export class StowError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = "StowError";
  }
}

const TIMEOUT_MS = 60_000;

export function resultsTarget(): string | null {
  return env.DICOMWEB_RESULTS_URL ? `${env.DICOMWEB_RESULTS_URL.replace(/\/+$/, "")}/studies` : null;
}

function failedCount(body: unknown): number {
  const failed = (body as Record<string, { Value?: unknown[] }> | null)?.["00081198"]?.Value;
  return Array.isArray(failed) ? failed.length : 0;
}

export async function stowInstances(instances: WrittenInstance[]): Promise<void> {
  const url = resultsTarget();
  if (!url) throw new StowError("no DICOMWEB_RESULTS_URL is configured", false);
  const { body, contentType } = encodeMultipartRelated(
    instances.map((i) => i.bytes),
    "application/dicom",
  );
  const headers: Record<string, string> = { "content-type": contentType, accept: "application/dicom+json" };
  if (env.DICOMWEB_RESULTS_AUTHORIZATION) headers.authorization = env.DICOMWEB_RESULTS_AUTHORIZATION;
  let res: Response;
  try {
    // Never follow a redirect: the SR and captures carry the patient's name and ID, and go only to the
    // configured address, not to wherever an answer points.
    res = await fetch(url, { method: "POST", headers, body: new Uint8Array(body), redirect: "manual", signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (error) {
    // Only the kind of network failure: the URL may carry credentials, the error text is not needed.
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
    throw new StowError(`the PACS could not be reached (${cause})`, true);
  }
  const text = await res.text().catch(() => "");
  if (res.type === "opaqueredirect" || (res.status >= 300 && res.status < 400)) {
    // Not retried: the next attempt would be redirected again; the address needs changing.
    throw new StowError(
      `the PACS answered HTTP ${res.status} (a redirect); results are sent to DICOMWEB_RESULTS_URL only, never on to another address — set it to the final address`,
      false,
    );
  }
  if (res.status !== 200 && res.status !== 202) throw new StowError(`the PACS answered HTTP ${res.status}`, true);
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // Some servers answer XML or nothing; an HTTP 200 without a failure list is success.
  }
  const failed = failedCount(parsed);
  if (res.status === 202 || failed > 0) throw new StowError(`the PACS refused ${failed || "some"} of ${instances.length} instances`, true);
}
