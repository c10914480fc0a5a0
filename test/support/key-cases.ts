// The credential cases every v1 route is tested with: one table, so each route meets all of them.
import { eq } from "drizzle-orm";
import { generateApiKey } from "@/lib/api-keys/keys";
import type { ApiScope } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import { apiKeys, users } from "@/lib/db/schema";
import { revokeApiKey } from "@/lib/api-keys/service";
import { createTestKey, createTestUser } from "./principals";

export interface KeyCase {
  name: string;
  /** Authorization header, or null for none. */
  authorization: string | null;
  status: number;
  detail: RegExp;
}

/** Builds the failing cases for a route needing `scopes`, plus the one valid key to compare with. */
export async function keyCases(scopes: ApiScope[]): Promise<{ valid: string; failing: KeyCase[] }> {
  const owner = await createTestUser("radiologist");
  const all: ApiScope[] = ["analyses:read", "analyses:write", "reports:read", "identifiers:read"];
  const valid = (await createTestKey(owner.user, scopes)).key;

  const revoked = await createTestKey(owner.user, scopes);
  await revokeApiKey({ actor: null, id: revoked.id });

  const expired = await createTestKey(owner.user, scopes, new Date(Date.now() + 60_000));
  // The service refuses past expiries, so the clock is moved for this key instead.
  await db.update(apiKeys).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(apiKeys.id, expired.id));

  const underScoped = (await createTestKey(owner.user, all.filter((s) => !scopes.includes(s)))).key;

  // Keys whose owner may no longer use them: a patient (inserted directly, the service refuses it) and a
  // disabled radiologist.
  const patient = await createTestUser("patient");
  const pk = generateApiKey();
  await db.insert(apiKeys).values({ prefix: pk.prefix, secretHash: pk.secretHash, name: "patient key", ownerId: patient.user.id, scopes: all });
  const gone = await createTestUser("radiologist");
  const goneKey = (await createTestKey(gone.user, all)).key;
  await db.update(users).set({ disabled: true }).where(eq(users.id, gone.user.id));

  const unknown = generateApiKey().key;
  const bearer = (k: string) => `Bearer ${k}`;
  return {
    valid,
    failing: [
      { name: "missing", authorization: null, status: 401, detail: /needs an API key/ },
      { name: "malformed", authorization: "Bearer not-a-key", status: 401, detail: /malformed/ },
      { name: "wrong scheme", authorization: `Basic ${Buffer.from("a:b").toString("base64")}`, status: 401, detail: /Bearer/ },
      { name: "tampered", authorization: bearer(`${valid.slice(0, -2)}${valid.endsWith("AA") ? "BB" : "AA"}`), status: 401, detail: /not valid/ },
      { name: "unknown", authorization: bearer(unknown), status: 401, detail: /not valid/ },
      { name: "revoked", authorization: bearer(revoked.key), status: 401, detail: /revoked/ },
      { name: "expired", authorization: bearer(expired.key), status: 401, detail: /expired/ },
      { name: "owner disabled", authorization: bearer(goneKey), status: 401, detail: /disabled/ },
      { name: "under-scoped", authorization: bearer(underScoped), status: 403, detail: new RegExp(`lacks the scope ${scopes.join(", ")}`) },
      { name: "patient owner", authorization: bearer(pk.key), status: 403, detail: /role does not allow/ },
    ],
  };
}
