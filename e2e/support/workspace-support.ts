// Setup steps for e2e/workspace.spec.ts that belong to other parts of the app: reading an analysis'
// findings, and an admin changing the site's triage thresholds through the settings route.
import { expect, type APIRequestContext } from "@playwright/test";
import { fromAppPage } from "./same-origin";

export async function calibratedScores(request: APIRequestContext, id: string): Promise<Record<string, number>> {
  const res = await request.get(`/api/analyses/${id}`);
  expect(res.status()).toBe(200);
  const body = (await res.json()) as { findings: { label: string; calibrated: number }[] };
  return Object.fromEntries(body.findings.map((f) => [f.label, f.calibrated]));
}

/** Sets site thresholds as an admin would (null: back to the model's operating point). */
export async function setThresholds(adminRequest: APIRequestContext, thresholds: Record<string, number | null>) {
  const res = await adminRequest.patch("/api/settings/triage", { headers: fromAppPage(), data: { thresholds } });
  expect(res.status(), await res.text()).toBe(200);
  return (await res.json()) as { labels: { label: string; threshold: number }[]; recomputed: { changed: number } };
}

export async function triageLabels(adminRequest: APIRequestContext): Promise<string[]> {
  const res = await adminRequest.get("/api/settings/triage");
  expect(res.status()).toBe(200);
  return ((await res.json()) as { labels: { label: string }[] }).labels.map((l) => l.label);
}

/** Today and tomorrow in the browser's local calendar (what the date filters mean). */
export function localDays(): { today: string; tomorrow: string } {
  const fmt = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
  const now = new Date();
  return { today: fmt(now), tomorrow: fmt(new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1)) };
}
