// Browser-side calls to the admin route handlers. Errors arrive as problem+json; their `detail` is
// written for a person and is shown as is.

export class AdminApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

export async function adminFetch<T>(url: string, init: { method: string; json?: unknown }): Promise<T> {
  const res = await fetch(url, {
    method: init.method,
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
    const detail = (data as { detail?: string } | null)?.detail;
    throw new AdminApiError(detail ?? `The server answered ${res.status}.`, res.status);
  }
  return data as T;
}

export type Credential =
  | { method: "one_time_password"; password: string }
  | { method: "invitation"; token: string; expiresAt: string; url: string };
