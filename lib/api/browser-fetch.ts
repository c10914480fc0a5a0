// The browser's one way to call this app's JSON routes. Errors arrive as problem+json (lib/core/errors.ts)
// whose `detail` is written for a person, so it is what the thrown error says.

export class ApiRequestError extends Error {
  constructor(
    message: string,
    readonly status: number,
    /** The problem's machine-readable code, when the answer had one. */
    readonly code?: string,
  ) {
    super(message);
    this.name = "ApiRequestError";
  }
}

/** Sends `json` (if any) and returns the parsed answer (null when empty); throws ApiRequestError when not ok. */
export async function apiFetch<T>(url: string, init: { method?: string; json?: unknown } = {}): Promise<T> {
  const res = await fetch(url, {
    method: init.method ?? "GET",
    headers: init.json === undefined ? undefined : { "content-type": "application/json" },
    body: init.json === undefined ? undefined : JSON.stringify(init.json),
    cache: "no-store",
  });
  const text = await res.text();
  let data: unknown = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    // not JSON (e.g. a proxy's error page)
  }
  if (!res.ok) {
    const problem = data as { detail?: string; code?: string } | null;
    throw new ApiRequestError(problem?.detail ?? `The server answered ${res.status}.`, res.status, problem?.code);
  }
  return data as T;
}
