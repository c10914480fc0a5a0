// Requests to the test server from a chosen local address (any 127.x.y.z reaches the loopback server),
// so a spec can be "another client" whose rate-limit budget and audit address are its own.
import http from "node:http";
import { e2eEnv } from "./e2e-env";

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export function httpFrom(localAddress: string, path: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<RawResponse> {
  const base = new URL(e2eEnv().baseURL);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: base.hostname, port: base.port, path, method: init.method ?? "GET", headers: init.headers, localAddress, agent: false },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (d: string) => (body += d));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on("error", reject);
    req.end(init.body);
  });
}

/** A credentials sign-in through next-auth's own endpoints (CSRF token and cookie included). */
export async function signInFrom(localAddress: string, email: string, password: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  const csrf = await httpFrom(localAddress, "/api/auth/csrf", { headers });
  const cookie = (csrf.headers["set-cookie"] ?? []).map((c) => c.split(";")[0]).join("; ");
  const { csrfToken } = JSON.parse(csrf.body) as { csrfToken: string };
  return httpFrom(localAddress, "/api/auth/callback/credentials", {
    method: "POST",
    headers: { ...headers, cookie, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ csrfToken, email, password, json: "true" }).toString(),
  });
}
