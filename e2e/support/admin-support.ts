// Helpers for the admin/API specs: data made through the app's own HTTP routes, as the
// signed-in users of a spec would make it.
import { expect, type APIRequestContext } from "@playwright/test";
import { fromAppPage } from "./same-origin";

/** Signs off an analysis agreeing with every finding; returns the position of a positive one, if any. */
export async function signOff(request: APIRequestContext, id: string): Promise<void> {
  const detail = await request.get(`/api/analyses/${id}`);
  expect(detail.status()).toBe(200);
  const { findings } = (await detail.json()) as { findings: { label: string }[] };
  const decisions = Object.fromEntries(findings.map((f) => [f.label, "agree"]));
  const res = await request.post(`/api/analyses/${id}/review/sign-off`, { headers: fromAppPage(), data: { decisions, addedFindings: [], impression: "E2E sign-off." } });
  expect(res.status(), await res.text()).toBe(200);
}

export async function share(request: APIRequestContext, id: string, recipientEmail: string): Promise<{ shareId: string; token: string }> {
  const res = await request.post(`/api/analyses/${id}/shares`, { headers: fromAppPage(), data: { recipientEmail } });
  expect(res.status(), await res.text()).toBe(201);
  const body = (await res.json()) as { share: { id: string }; url: string };
  return { shareId: body.share.id, token: new URL(body.url).pathname.split("/").pop()! };
}

/** An API key made by an admin through the admin route; the secret comes back once. */
export async function apiKeyFor(adminRequest: APIRequestContext, ownerEmail: string, scopes: string[]): Promise<string> {
  const res = await adminRequest.post("/api/admin/api-keys", { headers: fromAppPage(), data: { ownerEmail, name: `e2e ${scopes.join("+")}`, scopes } });
  expect(res.status(), await res.text()).toBe(201);
  return ((await res.json()) as { key: string }).key;
}
