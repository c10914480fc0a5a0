// The id_token checks of single sign-on against a real OpenID Provider (oidc-provider, test/support):
// the app's provider settings (lib/auth/oidc/provider.ts) run through the very client next-auth makes
// from them and the very callback check it performs (openid-client: signature, issuer, audience, nonce,
// PKCE). A token minted for another sign-in (nonce) or another client (audience) must be refused.
import crypto from "node:crypto";
import { createRequire } from "node:module";
import path from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";

const op = await vi.hoisted(async () => {
  const { startTestOidcProvider } = await import("../../../test/support/oidc-provider");
  const started = await startTestOidcProvider({
    accounts: [
      { sub: "ada", email: "ada@hospital.test", name: "Ada Reader", groups: ["cxr-radiologists"] },
      { sub: "bob", email: "bob@hospital.test", name: "Bob Visitor", groups: ["canteen"] },
    ],
    clients: [
      { clientId: "cxr-app", clientSecret: "app-secret-app-secret", redirectUris: ["http://app.test/api/auth/callback/oidc"] },
      { clientId: "other-app", clientSecret: "other-secret-other-secret", redirectUris: ["http://other.test/callback"] },
    ],
  });
  process.env.OIDC_ISSUER = started.issuer;
  process.env.OIDC_CLIENT_ID = "cxr-app";
  process.env.OIDC_CLIENT_SECRET = "app-secret-app-secret";
  process.env.OIDC_SCOPES = "openid email profile groups";
  process.env.OIDC_ROLE_MAP = "cxr-admins=admin,cxr-radiologists=radiologist";
  return started;
});
afterAll(() => op.close());

import type { BaseClient, TokenSet } from "openid-client";
import { authorizeOverHttp } from "@/test/support/oidc-provider";
import { env } from "@/lib/env";
import { oidcProvider } from "./provider";
import { roleFromClaims } from "./role-claims";

// next-auth's own factory of the openid-client Client (not in its package exports): the same client the
// callback route uses, made from the same provider settings.
const nextAuthClient = createRequire(import.meta.url)(path.resolve("node_modules/next-auth/core/lib/oauth/client.js")) as {
  openidClient(options: { provider: Record<string, unknown> }): Promise<BaseClient>;
};

function clientFor(clientId: string, clientSecret: string, callbackUrl: string) {
  return nextAuthClient.openidClient({ provider: { ...oidcProvider(), clientId, clientSecret, callbackUrl } });
}

async function signInAt(clientId: string, redirectUri: string, login: string, nonce: string) {
  const verifier = crypto.randomBytes(32).toString("base64url");
  const challenge = crypto.createHash("sha256").update(verifier).digest("base64url");
  const state = crypto.randomBytes(16).toString("base64url");
  const params = await authorizeOverHttp(op, { clientId, redirectUri, login, nonce, state, codeChallenge: challenge });
  return { params, checks: { state, nonce, code_verifier: verifier } };
}

const APP_CALLBACK = "http://app.test/api/auth/callback/oidc";

describe("single sign-on id_token checks", () => {
  it("accepts the provider's id_token for this client and this sign-in, and finds the role in userinfo", async () => {
    const client = await clientFor("cxr-app", "app-secret-app-secret", APP_CALLBACK);
    const { params, checks } = await signInAt("cxr-app", APP_CALLBACK, "ada", "nonce-right");
    const tokens = await client.callback(APP_CALLBACK, params, checks);
    const idClaims = tokens.claims();
    expect(idClaims).toMatchObject({ sub: "ada", aud: "cxr-app", iss: op.issuer, nonce: "nonce-right" });
    // The provider keeps scope claims out of the id_token: the app's userinfo step must supply them.
    expect(idClaims.groups).toBeUndefined();
    const provider = oidcProvider();
    const userinfo = provider.userinfo as unknown as { request: (c: { tokens: TokenSet; client: BaseClient; provider: unknown }) => Promise<Record<string, unknown>> };
    const claims = await userinfo.request({ tokens, client, provider });
    expect(claims.groups).toEqual(["cxr-radiologists"]);
    expect(roleFromClaims(claims, env.OIDC_ROLE_CLAIM, env.OIDC_ROLE_MAP)).toBe("radiologist");
  });

  it("refuses an id_token whose nonce is not the one this sign-in sent", async () => {
    const client = await clientFor("cxr-app", "app-secret-app-secret", APP_CALLBACK);
    const { params, checks } = await signInAt("cxr-app", APP_CALLBACK, "ada", "nonce-of-another-sign-in");
    await expect(client.callback(APP_CALLBACK, params, { ...checks, nonce: "nonce-of-this-sign-in" })).rejects.toThrow(/nonce mismatch/);
  });

  it("refuses an id_token issued to another client (audience)", async () => {
    const other = await clientFor("other-app", "other-secret-other-secret", "http://other.test/callback");
    const { params, checks } = await signInAt("other-app", "http://other.test/callback", "ada", "nonce-other");
    const foreign = await other.callback("http://other.test/callback", params, checks);
    expect(foreign.claims().aud).toBe("other-app");
    const app = await clientFor("cxr-app", "app-secret-app-secret", APP_CALLBACK);
    // The app's client validating the other client's id_token, as it would in its callback.
    const validate = (app as unknown as { validateIdToken(t: TokenSet, nonce: string): Promise<TokenSet> }).validateIdToken.bind(app);
    await expect(validate(foreign, "nonce-other")).rejects.toThrow(/aud mismatch/);
  });

  it("refuses a code exchanged without its PKCE verifier", async () => {
    const client = await clientFor("cxr-app", "app-secret-app-secret", APP_CALLBACK);
    const { params, checks } = await signInAt("cxr-app", APP_CALLBACK, "ada", "nonce-pkce");
    await expect(client.callback(APP_CALLBACK, params, { ...checks, code_verifier: "a".repeat(43) })).rejects.toThrow(/invalid_grant|PKCE/i);
  });
});

describe("roles from claims", () => {
  const map = new Map([
    ["cxr-admins", "admin" as const],
    ["cxr-radiologists", "radiologist" as const],
  ]);
  it("maps the most privileged matching value, accepts Keycloak's group paths and a single string, and nothing else", () => {
    expect(roleFromClaims({ groups: ["cxr-radiologists", "/cxr-admins"] }, "groups", map)).toBe("admin");
    expect(roleFromClaims({ roles: "cxr-radiologists" }, "roles", map)).toBe("radiologist");
    expect(roleFromClaims({ groups: ["canteen"] }, "groups", map)).toBeNull();
    expect(roleFromClaims({}, "groups", map)).toBeNull();
  });
});
