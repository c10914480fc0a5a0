// A real OpenID Provider for tests: `oidc-provider` (certified by the OpenID Foundation) on a free port,
// with in-memory accounts whose groups a test can change, its own login page (devInteractions: any
// password, the login is the account id), consent granted for the registered clients, RP-initiated
// logout, and groups released only from userinfo (the OpenID default for scope claims), so the app's
// fallback to userinfo is what carries the role.
import crypto from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import Provider, { type Configuration, type KoaContextWithOIDC } from "oidc-provider";

export interface TestAccount {
  sub: string;
  email: string;
  name: string;
  groups: string[];
}

export interface TestClient {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
  postLogoutRedirectUris?: string[];
}

export interface TestOidcProvider {
  issuer: string;
  accounts: Map<string, TestAccount>;
  provider: Provider;
  close(): Promise<void>;
}

/** Starts the provider on 127.0.0.1 and a free port; the accounts map may be changed while it runs. */
export async function startTestOidcProvider(options: { accounts: TestAccount[]; clients: TestClient[] }): Promise<TestOidcProvider> {
  const accounts = new Map(options.accounts.map((a) => [a.sub, a]));
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const signingKey = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ format: "jwk" });
  const clientIds = new Set(options.clients.map((c) => c.clientId));
  const configuration: Configuration = {
    clients: options.clients.map((c) => ({
      client_id: c.clientId,
      client_secret: c.clientSecret,
      redirect_uris: c.redirectUris,
      post_logout_redirect_uris: c.postLogoutRedirectUris ?? [],
      response_types: ["code"],
      grant_types: ["authorization_code"],
    })),
    jwks: { keys: [{ ...signingKey, kid: "test-key", alg: "RS256", use: "sig" } as never] },
    cookies: { keys: [crypto.randomBytes(32).toString("hex")] },
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"], groups: ["groups"] },
    scopes: ["openid", "email", "profile", "groups"],
    features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
    pkce: { required: () => true },
    async findAccount(_ctx, id) {
      const account = accounts.get(id);
      if (!account) return undefined;
      return {
        accountId: id,
        // Read at each token and userinfo request: a group changed by the test applies at the next sign-in.
        claims: async () => ({ sub: id, email: account.email, email_verified: true, name: account.name, groups: [...account.groups] }),
      };
    },
    // The registered clients are first-party: consent is granted without asking (the login page stays).
    async loadExistingGrant(ctx: KoaContextWithOIDC) {
      const client = ctx.oidc.client!;
      const session = ctx.oidc.session!;
      const existing = ctx.oidc.result?.consent?.grantId ?? session.grantIdFor(client.clientId);
      if (existing) return ctx.oidc.provider.Grant.find(existing);
      if (!clientIds.has(client.clientId)) return undefined;
      const grant = new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId! });
      grant.addOIDCScope("openid email profile groups");
      await grant.save();
      return grant;
    },
    ttl: { Session: 3600, Interaction: 600, Grant: 3600, AccessToken: 600, AuthorizationCode: 60, IdToken: 600 },
  };
  const provider = new Provider(issuer, configuration);
  // Quiet: the provider warns about its development defaults on every start.
  provider.on("server_error", (_ctx, error) => console.error("test OpenID provider error", error));
  server.on("request", provider.callback());
  return {
    issuer,
    accounts,
    provider,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * Runs the provider's authorization code flow over plain HTTP as a browser would (its login form
 * included) and returns the parameters it redirects back with (code, state and iss).
 */
export async function authorizeOverHttp(
  op: TestOidcProvider,
  params: { clientId: string; redirectUri: string; login: string; nonce: string; state: string; codeChallenge: string; scope?: string },
): Promise<Record<string, string>> {
  const jar = new Map<string, string>();
  const remember = (res: Response) => {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const eq = pair.indexOf("=");
      jar.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
  };
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
  const auth = new URL(`${op.issuer}/auth`);
  auth.search = new URLSearchParams({
    client_id: params.clientId,
    redirect_uri: params.redirectUri,
    response_type: "code",
    scope: params.scope ?? "openid email profile groups",
    nonce: params.nonce,
    state: params.state,
    code_challenge: params.codeChallenge,
    code_challenge_method: "S256",
  }).toString();
  let url = auth.toString();
  let body: URLSearchParams | undefined;
  for (let hop = 0; hop < 10; hop++) {
    const res = await fetch(url, { method: body ? "POST" : "GET", body, headers: { cookie: cookie() }, redirect: "manual" });
    remember(res);
    body = undefined;
    const location = res.headers.get("location");
    if (location) {
      const next = new URL(location, url);
      if (next.toString().startsWith(params.redirectUri)) {
        const code = next.searchParams.get("code");
        if (!code) throw new Error(`the provider answered with an error: ${next.search}`);
        return Object.fromEntries(next.searchParams);
      }
      url = next.toString();
      continue;
    }
    const html = await res.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    if (!action || !html.includes('name="login"')) throw new Error(`unexpected page from the provider (${res.status}): ${html.slice(0, 300)}`);
    url = new URL(action.replace(/&amp;/g, "&"), url).toString();
    body = new URLSearchParams({ prompt: "login", login: params.login, password: "any" });
  }
  throw new Error("the provider did not redirect back");
}
