import "server-only";
import type { z } from "zod";
import { principalFromApiKey } from "@/lib/api-keys/keys";
import { TWO_FACTOR_PATH } from "@/lib/auth/mfa/policy";
import { CHANGE_PASSWORD_PATH, mustChangePassword, mustEnrolSecondFactor, type ApiScope, type Principal } from "@/lib/auth/principal";
import { principalFromSessionToken, sessionTokenFromCookieHeader } from "@/lib/auth/session";
import type { Role } from "@/lib/core/roles";
import { DATABASE_RETRY_AFTER_SECONDS, isDatabaseUnavailable } from "@/lib/db/errors";
import { errorSummary, logger } from "@/lib/log";
import { observeRequest } from "@/lib/metrics";
import { routePattern } from "@/lib/core/route-table";
import { containsNul } from "@/lib/core/bounded-input";
import { AppError, appErrorOf, problemResponse } from "@/lib/core/errors";
import { enforceRateLimit, refuseKnownOverLimit } from "./rate-limit";
import { BodyTooLargeError, readBodyLimited } from "./read-body";
import { assertSameOrigin, isStateChanging } from "./same-origin";

type AuthMode = "session" | "apiKey" | "any" | "public";

interface RouteConfig<B extends z.ZodType | undefined, Q extends z.ZodType | undefined> {
  /** session: signed-in browser; apiKey: Bearer key; any: either; public: nobody needs to be known. */
  auth: AuthMode;
  roles?: readonly Role[];
  /** Scopes an API key must carry (sessions are governed by roles alone). */
  scopes?: readonly ApiScope[];
  body?: B;
  /** Largest JSON body accepted, in bytes (default 64 KiB); refused with 413 while it is being read. */
  maxBodyBytes?: number;
  query?: Q;
  /** Lets a session that must still replace its one-time password through (the password change only). */
  allowPendingPasswordChange?: boolean;
  /** Lets a session that must still set up its second factor through (the set-up and sign-out only). */
  allowPendingSecondFactor?: boolean;
  /** Per-address (and, for API keys, per-key) request limits, shared by every instance (lib/api/rate-limit.ts). */
  rateLimited?: boolean;
  /**
   * Optional hook run before authentication, from memory only (it must cost no database statement):
   * refusals that come in floods, such as polls sooner than a Retry-After said.
   */
  beforeAuth?: (req: Request, params: Record<string, string>) => void;
  /** Optional hook run after authentication and rate limits, before parsing: queue admission. */
  before?: (ctx: { req: Request; principal: Principal | null }) => Promise<void> | void;
}

type Infer<T> = T extends z.ZodType ? z.infer<T> : undefined;

export interface RouteContext<B, Q, P extends Principal | null> {
  req: Request;
  principal: P;
  params: Record<string, string>;
  body: B;
  query: Q;
}

type HandlerResult = Response | object;

/** What a person may be told about a thrown error (appErrorOf in lib/core/errors.ts), or null for a 500. */
export function asClientError(error: unknown): AppError | null {
  // A lost or restarting database is the service's trouble, and passing: say when to come back.
  if (isDatabaseUnavailable(error)) {
    return new AppError("service_unavailable", "The database is unavailable for a moment. Please retry shortly; nothing you sent before this was lost.", {
      retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS,
      subcode: "database_unavailable",
    });
  }
  return appErrorOf(error);
}

export async function authenticate(req: Request, mode: AuthMode): Promise<Principal | null> {
  if (mode === "public") return null;
  if (mode !== "session") {
    const fromKey = await principalFromApiKey(req.headers.get("authorization"));
    if (fromKey) return fromKey;
  }
  if (mode !== "apiKey") {
    const fromSession = await principalFromSessionToken(sessionTokenFromCookieHeader(req.headers.get("cookie")));
    if (fromSession) return fromSession;
  }
  throw new AppError(
    "unauthorized",
    mode === "apiKey" ? "This endpoint needs an API key: 'Authorization: Bearer <key>'." : "Sign in to continue.",
  );
}

/** Someone still holding a one-time password may only change it; for routes that resolve sessions themselves too. */
export function refusePendingPasswordChange(principal: Principal | null): void {
  if (!mustChangePassword(principal)) return;
  throw new AppError(
    "forbidden",
    `Choose a new password before continuing: you signed in with a one-time password. Change it at ${CHANGE_PASSWORD_PATH}.`,
    { subcode: "password_change_required" },
  );
}

/** Someone who must set up a second factor (MFA_REQUIRED) may only do that first. */
export function refusePendingSecondFactor(principal: Principal | null): void {
  if (!mustEnrolSecondFactor(principal)) return;
  throw new AppError("forbidden", `Set up your second factor before continuing. Do it at ${TWO_FACTOR_PATH}.`, {
    subcode: "second_factor_required",
  });
}

function authorize(principal: Principal | null, config: RouteConfig<z.ZodType | undefined, z.ZodType | undefined>) {
  if (!principal) return;
  if (!config.allowPendingPasswordChange) refusePendingPasswordChange(principal);
  if (!config.allowPendingSecondFactor) refusePendingSecondFactor(principal);
  if (config.roles && !config.roles.includes(principal.role)) {
    throw new AppError("forbidden", "Your role does not allow this.");
  }
  if (principal.kind === "apiKey" && config.scopes) {
    const missing = config.scopes.filter((s) => !principal.scopes.includes(s));
    if (missing.length) throw new AppError("forbidden", `This API key lacks the scope ${missing.join(", ")}.`);
  }
}

function formatZodError(error: z.ZodError): string {
  return error.issues.map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message)).join("; ");
}

const DEFAULT_JSON_LIMIT_BYTES = 64 * 1024;
const JSON_TYPE = /^application\/json\s*(;|$)/i;

// Only application/json: a cross-site HTML form can send text/plain that happens to be JSON without
// the browser asking first (CORS preflight), while a JSON content type cannot be sent that way.
async function parseBody(req: Request, schema: z.ZodType, limit: number): Promise<unknown> {
  if (!JSON_TYPE.test(req.headers.get("content-type") ?? "")) {
    throw new AppError("unsupported_media_type", "Send the request body as JSON with 'Content-Type: application/json'.");
  }
  let bytes: Uint8Array;
  try {
    bytes = await readBodyLimited(req, limit);
  } catch (error) {
    if (!(error instanceof BodyTooLargeError)) throw error;
    throw new AppError("payload_too_large", `The request body is larger than the ${Math.round(limit / 1024)} KB this endpoint accepts.`, {
      subcode: "body_too_large",
    });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    throw new AppError("bad_request", "The request body must be valid JSON.");
  }
  refuseNul(raw);
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new AppError("validation_failed", formatZodError(parsed.error));
  return parsed.data;
}

// No text column can store NUL; refused here once for every route instead of failing in the database.
function refuseNul(value: unknown): void {
  if (containsNul(value)) throw new AppError("validation_failed", "Text in the request must not contain NUL characters.");
}

function parseQuery(req: Request, schema: z.ZodType): unknown {
  const params = Object.fromEntries(new URL(req.url).searchParams);
  refuseNul(params);
  const parsed = schema.safeParse(params);
  if (!parsed.success) throw new AppError("validation_failed", formatZodError(parsed.error));
  return parsed.data;
}

/**
 * The one way to write a route handler: authenticate -> same-origin check for state-changing browser
 * requests -> authorize (role, scopes) -> rate limits -> admission hook -> parse (zod; JSON only, size-limited while
 * read) -> work -> typed result. Identity is checked before parsing so that anonymous callers
 * learn nothing about a route's inputs. Errors become problem+json; internals only reach the log.
 */
export function defineRoute<
  B extends z.ZodType | undefined = undefined,
  Q extends z.ZodType | undefined = undefined,
  A extends AuthMode = AuthMode,
>(
  config: RouteConfig<B, Q> & { auth: A },
  handler: (
    ctx: RouteContext<Infer<B>, Infer<Q>, A extends "public" ? Principal | null : Principal>,
  ) => Promise<HandlerResult> | HandlerResult,
) {
  const respond = async (req: Request, context?: { params?: Promise<Record<string, string>> }): Promise<Response> => {
    const instance = new URL(req.url).pathname;
    try {
      // A caller known to be over its limit is refused before anything else costs a database query.
      if (config.rateLimited) refuseKnownOverLimit(req);
      if (config.beforeAuth) config.beforeAuth(req, (await context?.params) ?? {});
      const principal = await authenticate(req, config.auth).catch(async (error: unknown) => {
        // Anonymous calls to signed-in routes (a flood of /api/stats/<anything>) count against their
        // address like every public request, so they end in 429 rather than unlimited 401s.
        if (error instanceof AppError && error.code === "unauthorized") await enforceRateLimit({ req, principal: null });
        throw error;
      });
      // Browsers attach cookies to requests other sites start; an API key is never attached by a browser.
      if (isStateChanging(req.method) && principal?.kind !== "apiKey") assertSameOrigin(req.headers);
      authorize(principal, config);
      if (config.rateLimited) await enforceRateLimit({ req, principal });
      await config.before?.({ req, principal });
      const params = (await context?.params) ?? {};
      const body = (config.body ? await parseBody(req, config.body, config.maxBodyBytes ?? DEFAULT_JSON_LIMIT_BYTES) : undefined) as Infer<B>;
      const query = (config.query ? parseQuery(req, config.query) : undefined) as Infer<Q>;
      const result = await handler({
        req,
        principal: principal as A extends "public" ? Principal | null : Principal,
        params,
        body,
        query,
      });
      return result instanceof Response ? result : Response.json(result);
    } catch (error) {
      const clientError = asClientError(error);
      if (clientError) return problemResponse(clientError, instance);
      logger.error({ err: errorSummary(error), route: routePattern(instance), method: req.method }, "unhandled route error");
      return problemResponse(new AppError("internal", "Something went wrong on our side. Please try again."), instance);
    }
  };
  // Every handler is counted and timed for /api/metrics (time to response headers).
  return async (req: Request, context?: { params?: Promise<Record<string, string>> }): Promise<Response> => {
    const started = performance.now();
    const response = await respond(req, context);
    observeRequest(req.method, new URL(req.url).pathname, response.status, (performance.now() - started) / 1000);
    return response;
  };
}
