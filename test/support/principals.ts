// Real credentials for route tests: users in the test database, next-auth session JWTs signed with the
// app's secret, API keys made by the API-key service. Handlers are called with real Request objects.
import crypto from "node:crypto";
import { eq } from "drizzle-orm";
import { encode } from "next-auth/jwt";
import { PEER_ADDRESS_HEADER, peerAddressHeaderValue } from "@/lib/core/client-ip";
import { createApiKey } from "@/lib/api-keys/service";
import type { ApiScope, Principal } from "@/lib/auth/principal";
import { hashPassword } from "@/lib/auth/passwords";
import { authSecret } from "@/lib/auth/secret";
import { db } from "@/lib/db/client";
import type { Role } from "@/lib/core/roles";
import { users, type User } from "@/lib/db/schema";

export interface TestUser {
  user: User;
  principal: Principal;
  /** Cookie header value carrying a valid session for this user. */
  cookie: string;
}

export async function createTestUser(role: Role, opts: { password?: string; name?: string } = {}): Promise<TestUser> {
  const tag = crypto.randomBytes(4).toString("hex");
  const [user] = await db
    .insert(users)
    .values({
      email: `${role}.${tag}@test.invalid`,
      name: opts.name ?? `${role} ${tag}`,
      role,
      passwordHash: opts.password ? await hashPassword(opts.password) : null,
    })
    .returning();
  return { user, principal: principalOf(user), cookie: await sessionCookie(user) };
}

export function principalOf(user: User): Principal {
  return { kind: "user", userId: user.id, email: user.email, name: user.name, role: user.role };
}

/** A session cookie as next-auth would set it after sign-in (payload {uid, role, sv, sid}). */
export async function sessionCookie(user: Pick<User, "id" | "role" | "sessionVersion">): Promise<string> {
  const token = await encode({ token: { uid: user.id, role: user.role, sv: user.sessionVersion, sid: crypto.randomUUID() }, secret: authSecret() });
  return `next-auth.session-token=${token}`;
}

export async function refreshUser(id: string): Promise<User> {
  const [u] = await db.select().from(users).where(eq(users.id, id));
  return u;
}

export async function createTestKey(
  owner: User,
  scopes: ApiScope[] = ["analyses:read", "analyses:write", "reports:read", "identifiers:read"],
  expiresAt?: Date,
): Promise<{ key: string; id: string }> {
  const { key, apiKey } = await createApiKey({ actor: null, input: { ownerEmail: owner.email, name: `test ${scopes.join("+")}`, scopes, expiresAt } });
  return { key, id: apiKey.id };
}

// Per-address limits are shared through the database, and test files run at once in one database:
// each test process calls from a loopback address of its own, so files never spend each other's budget.
const TEST_FILE_ADDRESS = `127.${(process.pid >> 8) & 255}.${process.pid & 255}.1`;

export interface CallOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: BodyInit;
  json?: unknown;
  params?: Record<string, string>;
  query?: Record<string, string>;
}

type Handler = (req: Request, ctx?: { params?: Promise<Record<string, string>> }) => Promise<Response>;

/** Headers of a request whose socket came from `ip`, as the app's server (lib/cli/start.ts) marks it. */
export function fromAddress(ip: string): Record<string, string> {
  return { [PEER_ADDRESS_HEADER]: peerAddressHeaderValue(ip) };
}

/** What a browser sends with a state-changing request from one of the app's own pages (unless told otherwise). */
export function sameOriginAsBrowser(headers: Headers, url: URL): void {
  if (!headers.has("host")) headers.set("host", url.host);
  if (!headers.has("origin")) headers.set("origin", url.origin);
}

/**
 * A Request for a route handler as a signed-in browser sends it: its session cookie, a JSON body (a
 * string is sent as it is) and, when it changes state, the headers of the app's own origin.
 */
export function browserRequest(
  path: string,
  init: { method?: string; cookie?: string; body?: unknown; headers?: Record<string, string> } = {},
  base = "http://localhost:3000",
): Request {
  const headers = new Headers(init.headers);
  if (init.cookie) headers.set("cookie", init.cookie);
  if (init.body !== undefined) headers.set("content-type", "application/json");
  const url = new URL(path, base);
  if ((init.method ?? "GET") !== "GET") sameOriginAsBrowser(headers, url);
  return new Request(url, {
    method: init.method ?? "GET",
    headers,
    body: init.body === undefined ? undefined : typeof init.body === "string" ? init.body : JSON.stringify(init.body),
  });
}

/** Calls a route handler the way Next does: a Request for the URL, params as a promise. */
export function call(handler: Handler, path: string, opts: CallOptions = {}): Promise<Response> {
  const url = new URL(path, "http://localhost:3000");
  for (const [k, v] of Object.entries(opts.query ?? {})) url.searchParams.set(k, v);
  const headers = new Headers(opts.headers);
  let body = opts.body;
  if (opts.json !== undefined) {
    headers.set("content-type", "application/json");
    body = JSON.stringify(opts.json);
  }
  if (!headers.has(PEER_ADDRESS_HEADER)) headers.set(PEER_ADDRESS_HEADER, peerAddressHeaderValue(TEST_FILE_ADDRESS));
  const method = opts.method ?? "GET";
  if (method !== "GET" && method !== "HEAD") sameOriginAsBrowser(headers, url);
  const req = new Request(url, { method, headers, body, ...(body ? { duplex: "half" } : {}) } as RequestInit);
  return handler(req, { params: Promise.resolve(opts.params ?? {}) });
}
