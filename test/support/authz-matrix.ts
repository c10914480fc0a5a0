// THE authorization matrix: every page and every route handler of the app, with what each kind of
// caller must get. One table drives two checks:
//   - test/support/authz-matrix.test.ts invokes every route handler as every caller (and fails when a
//     route file or an exported method is missing from this table);
//   - e2e/authz-pages.spec.ts opens every page in Chromium as every role.
// Adding a route or a page means adding it here, with its expected statuses.
//
// Mutating routes are called with a deliberately invalid body (or an unknown id), so a caller that is
// let through gets 400 (or 404) and nothing changes, while one that is not gets 401/403 first.

export const CALLERS = ["anonymous", "patient", "radiologist", "admin", "apiKey"] as const;
export type Caller = (typeof CALLERS)[number];
export const PAGE_ROLES = ["anonymous", "patient", "radiologist", "admin"] as const;
export type PageRole = (typeof PAGE_ROLES)[number];

/** Data the requests point at, made fresh by each check. */
export interface MatrixFixture {
  /** A completed analysis of the team, not signed off. */
  analysisId: string;
  /** The study of `analysisId`. */
  studyId: string;
  /** A signed-off analysis with an active share addressed to the patient's email. */
  reportId: string;
  shareId: string;
  shareToken: string;
  /** Position of a positive finding of the report (for heatmap routes). */
  positivePosition: string;
  /** A user an admin could manage. */
  userId: string;
}

export interface MatrixRequest {
  path: string;
  params?: Record<string, string>;
  query?: Record<string, string>;
  json?: unknown;
}

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface RouteEntry {
  file: string;
  method: HttpMethod;
  request: (f: MatrixFixture) => MatrixRequest;
  expect: Record<Caller, number>;
  /** "e2e": the handler needs Next's request scope (next/headers), so it is checked over HTTP in Playwright only. */
  via?: "e2e";
}

/** ok: the page renders (200); sign-in: redirected to /sign-in; redirect: ends on that path; a number: that HTTP status. */
export type PageOutcome = "ok" | "sign-in" | 403 | 404 | 410 | { redirect: string };

export interface PageEntry {
  file: string;
  path: (f: MatrixFixture) => string;
  expect: Record<PageRole, PageOutcome>;
}

// Shorthands for the common shapes. The API-key caller's owner is a radiologist with every scope.
const status = (anonymous: number, patient: number, radiologist: number, admin: number, apiKey: number): Record<Caller, number> => ({
  anonymous,
  patient,
  radiologist,
  admin,
  apiKey,
});
/** Session routes for admins and radiologists; an API key is not a session (401). */
const staff = (ok: number) => status(401, 403, ok, ok, 401);
const adminOnly = (ok: number) => status(401, 403, 403, ok, 401);
const patientOnly = (ok: number) => status(401, ok, 403, 403, 401);
/** v1: API keys only; a browser session is not a key (401). */
const apiKeyOnly = (ok: number) => status(401, 401, 401, 401, ok);
const everyone = (s: number) => status(s, s, s, s, s);
const unknownId = "00000000-0000-4000-8000-000000000000";

export const ROUTES: RouteEntry[] = [
  // --- next-auth's own handler (sign-in itself is exercised by the e2e sign-in flows)
  { file: "app/api/auth/[...nextauth]/route.ts", method: "GET", via: "e2e", request: () => ({ path: "/api/auth/providers" }), expect: everyone(200) },
  // Without next-auth's CSRF token a credentials post is turned back (a redirect to the sign-in page).
  { file: "app/api/auth/[...nextauth]/route.ts", method: "POST", via: "e2e", request: () => ({ path: "/api/auth/callback/credentials", json: {} }), expect: everyone(302) },

  // --- operations
  { file: "app/api/health/route.ts", method: "GET", request: () => ({ path: "/api/health" }), expect: everyone(200) },
  { file: "app/api/ready/route.ts", method: "GET", request: () => ({ path: "/api/ready" }), expect: everyone(200) },
  { file: "app/api/metrics/route.ts", method: "GET", request: () => ({ path: "/api/metrics" }), expect: status(401, 403, 403, 200, 401) },

  // --- administration
  { file: "app/api/admin/users/route.ts", method: "GET", request: () => ({ path: "/api/admin/users" }), expect: adminOnly(200) },
  { file: "app/api/admin/users/route.ts", method: "POST", request: () => ({ path: "/api/admin/users", json: { email: "not an email" } }), expect: adminOnly(400) },
  { file: "app/api/admin/users/[id]/route.ts", method: "PATCH", request: (f) => ({ path: `/api/admin/users/${f.userId}`, params: { id: f.userId }, json: {} }), expect: adminOnly(400) },
  { file: "app/api/admin/users/[id]/password/route.ts", method: "POST", request: (f) => ({ path: `/api/admin/users/${f.userId}/password`, params: { id: f.userId }, json: { method: "carrier pigeon" } }), expect: adminOnly(400) },
  // Unknown analysis: an admin let through gets 404 (nothing to retry), everyone else 401/403 first.
  { file: "app/api/admin/pacs-deliveries/retry/route.ts", method: "POST", request: () => ({ path: "/api/admin/pacs-deliveries/retry", json: { analysisId: unknownId, reviewVersion: 0 } }), expect: adminOnly(404) },
  { file: "app/api/admin/api-keys/route.ts", method: "GET", request: () => ({ path: "/api/admin/api-keys" }), expect: adminOnly(200) },
  { file: "app/api/admin/api-keys/route.ts", method: "POST", request: () => ({ path: "/api/admin/api-keys", json: { scopes: [] } }), expect: adminOnly(400) },
  { file: "app/api/admin/api-keys/[id]/route.ts", method: "DELETE", request: () => ({ path: `/api/admin/api-keys/${unknownId}`, params: { id: unknownId } }), expect: adminOnly(404) },
  { file: "app/api/admin/api-keys/[id]/route.ts", method: "PATCH", request: () => ({ path: `/api/admin/api-keys/${unknownId}`, params: { id: unknownId }, json: { rateLimitPerMinute: 60 } }), expect: adminOnly(404) },
  { file: "app/api/admin/audit/route.ts", method: "GET", request: () => ({ path: "/api/admin/audit" }), expect: adminOnly(200) },
  { file: "app/api/admin/audit/export/route.ts", method: "GET", request: () => ({ path: "/api/admin/audit/export" }), expect: adminOnly(200) },
  { file: "app/api/admin/data/retention/route.ts", method: "GET", request: () => ({ path: "/api/admin/data/retention" }), expect: adminOnly(200) },
  { file: "app/api/admin/data/retention/route.ts", method: "PUT", request: () => ({ path: "/api/admin/data/retention", json: { originalsDays: 0 } }), expect: adminOnly(400) },
  { file: "app/api/admin/data/retention/run/route.ts", method: "POST", request: () => ({ path: "/api/admin/data/retention/run", json: {} }), expect: adminOnly(400) },
  { file: "app/api/admin/data/holds/route.ts", method: "POST", request: () => ({ path: "/api/admin/data/holds", json: { reason: "" } }), expect: adminOnly(400) },
  { file: "app/api/admin/data/holds/[id]/route.ts", method: "DELETE", request: () => ({ path: `/api/admin/data/holds/${unknownId}`, params: { id: unknownId } }), expect: adminOnly(404) },
  { file: "app/api/admin/data/erasure/route.ts", method: "POST", request: (f) => ({ path: "/api/admin/data/erasure", json: { target: { kind: "analysis", analysisId: f.analysisId } } }), expect: adminOnly(400) },
  { file: "app/api/account/password/route.ts", method: "POST", request: () => ({ path: "/api/account/password", json: { currentPassword: "" } }), expect: status(401, 400, 400, 400, 401) },
  // Sign-out asks where the identity provider's sign-out is (null for local accounts); nothing changes.
  { file: "app/api/account/sign-out/route.ts", method: "POST", request: () => ({ path: "/api/account/sign-out" }), expect: status(401, 200, 200, 200, 401) },
  // Starting a second-factor set-up only stores a pending key (not in force until confirmed).
  { file: "app/api/account/preferences/route.ts", method: "GET", request: () => ({ path: "/api/account/preferences" }), expect: staff(200) },
  { file: "app/api/account/preferences/route.ts", method: "PUT", request: () => ({ path: "/api/account/preferences", json: { singleKeyShortcuts: "off" } }), expect: staff(400) },
  { file: "app/api/account/two-factor/route.ts", method: "POST", request: () => ({ path: "/api/account/two-factor" }), expect: status(401, 200, 200, 200, 401) },
  { file: "app/api/account/two-factor/confirm/route.ts", method: "POST", request: () => ({ path: "/api/account/two-factor/confirm", json: {} }), expect: status(401, 400, 400, 400, 401) },
  { file: "app/api/admin/users/[id]/second-factor/route.ts", method: "DELETE", request: () => ({ path: `/api/admin/users/${unknownId}/second-factor`, params: { id: unknownId } }), expect: adminOnly(404) },
  { file: "app/api/invitations/accept/route.ts", method: "POST", request: () => ({ path: "/api/invitations/accept", json: { token: "x" } }), expect: everyone(400) },

  // --- REST API v1
  { file: "app/api/v1/openapi.json/route.ts", method: "GET", request: () => ({ path: "/api/v1/openapi.json" }), expect: everyone(200) },
  { file: "app/api/v1/models/route.ts", method: "GET", request: () => ({ path: "/api/v1/models" }), expect: apiKeyOnly(200) },
  { file: "app/api/v1/analyses/route.ts", method: "GET", request: () => ({ path: "/api/v1/analyses" }), expect: apiKeyOnly(200) },
  // JSON instead of multipart: a caller let through gets 415 and nothing is analysed.
  { file: "app/api/v1/analyses/route.ts", method: "POST", request: () => ({ path: "/api/v1/analyses", json: {} }), expect: apiKeyOnly(415) },
  // STOW-RS: JSON instead of multipart/related gets 415 and nothing is analysed.
  { file: "app/api/dicomweb/studies/route.ts", method: "POST", request: () => ({ path: "/api/dicomweb/studies", json: {} }), expect: apiKeyOnly(415) },
  { file: "app/api/v1/analyses/[id]/route.ts", method: "GET", request: (f) => ({ path: `/api/v1/analyses/${f.analysisId}`, params: { id: f.analysisId } }), expect: apiKeyOnly(200) },
  { file: "app/api/v1/studies/[id]/route.ts", method: "GET", request: (f) => ({ path: `/api/v1/studies/${f.studyId}`, params: { id: f.studyId } }), expect: apiKeyOnly(200) },
  // DICOM results exist for DICOM sources only: the fixture's image upload is a 409 for a caller let through.
  { file: "app/api/v1/analyses/[id]/dicom/sr/route.ts", method: "GET", request: (f) => ({ path: `/api/v1/analyses/${f.analysisId}/dicom/sr`, params: { id: f.analysisId } }), expect: apiKeyOnly(409) },
  { file: "app/api/v1/analyses/[id]/dicom/sc/route.ts", method: "GET", request: (f) => ({ path: `/api/v1/analyses/${f.analysisId}/dicom/sc`, params: { id: f.analysisId } }), expect: apiKeyOnly(409) },
  // FHIR export accepts a staff session or a key with reports:read.
  { file: "app/api/v1/analyses/[id]/anatomy/route.ts", method: "GET", request: (f) => ({ path: `/api/v1/analyses/${f.analysisId}/anatomy`, params: { id: f.analysisId } }), expect: apiKeyOnly(200) },
  { file: "app/api/v1/analyses/[id]/fhir/route.ts", method: "GET", request: (f) => ({ path: `/api/v1/analyses/${f.reportId}/fhir`, params: { id: f.reportId } }), expect: status(401, 403, 200, 200, 200) },

  // --- upload, history, result (the browser's own routes)
  { file: "app/api/analyses/route.ts", method: "GET", request: () => ({ path: "/api/analyses" }), expect: staff(200) },
  // JSON instead of multipart: a caller let through gets 415 and nothing is analysed.
  { file: "app/api/analyses/route.ts", method: "POST", request: () => ({ path: "/api/analyses", json: {} }), expect: staff(415) },
  { file: "app/api/analyses/progress/route.ts", method: "GET", request: (f) => ({ path: "/api/analyses/progress", query: { ids: f.analysisId } }), expect: staff(200) },
  { file: "app/api/analyses/[id]/route.ts", method: "GET", request: (f) => ({ path: `/api/analyses/${f.analysisId}`, params: { id: f.analysisId } }), expect: staff(200) },
  { file: "app/api/analyses/[id]/anatomy/route.ts", method: "GET", request: (f) => ({ path: `/api/analyses/${f.analysisId}/anatomy`, params: { id: f.analysisId } }), expect: staff(200) },
  { file: "app/api/analyses/[id]/image/route.ts", method: "GET", request: (f) => ({ path: `/api/analyses/${f.analysisId}/image`, params: { id: f.analysisId } }), expect: staff(200) },
  { file: "app/api/analyses/[id]/thumbnail/route.ts", method: "GET", request: (f) => ({ path: `/api/analyses/${f.analysisId}/thumbnail`, params: { id: f.analysisId } }), expect: staff(200) },
  // 204: an 8-bit PNG has no more pixel depth than its display rendering.
  { file: "app/api/analyses/[id]/pixels/route.ts", method: "GET", request: (f) => ({ path: `/api/analyses/${f.analysisId}/pixels`, params: { id: f.analysisId } }), expect: staff(204) },

  // --- radiologist workspace
  { file: "app/api/worklist/route.ts", method: "POST", request: () => ({ path: "/api/worklist", json: {} }), expect: staff(200) },
  { file: "app/api/analyses/[id]/review/route.ts", method: "GET", request: (f) => ({ path: `/api/analyses/${f.analysisId}/review`, params: { id: f.analysisId } }), expect: staff(200) },
  { file: "app/api/analyses/[id]/review/route.ts", method: "PUT", request: (f) => ({ path: `/api/analyses/${f.analysisId}/review`, params: { id: f.analysisId }, json: { decisions: 7 } }), expect: staff(400) },
  { file: "app/api/analyses/[id]/review/draft/route.ts", method: "GET", request: (f) => ({ path: `/api/analyses/${f.analysisId}/review/draft`, params: { id: f.analysisId } }), expect: staff(200) },
  { file: "app/api/analyses/[id]/review/draft/route.ts", method: "PUT", request: (f) => ({ path: `/api/analyses/${f.analysisId}/review/draft`, params: { id: f.analysisId }, json: { decisions: 7 } }), expect: staff(400) },
  { file: "app/api/analyses/[id]/review/draft/route.ts", method: "DELETE", request: () => ({ path: `/api/analyses/${unknownId}/review/draft`, params: { id: unknownId } }), expect: staff(200) },
  { file: "app/api/analyses/[id]/review/sign-off/route.ts", method: "POST", request: (f) => ({ path: `/api/analyses/${f.analysisId}/review/sign-off`, params: { id: f.analysisId }, json: { decisions: 7 } }), expect: staff(400) },
  { file: "app/api/analyses/[id]/review/amend/route.ts", method: "POST", request: (f) => ({ path: `/api/analyses/${f.reportId}/review/amend`, params: { id: f.reportId }, json: { decisions: 7 } }), expect: staff(400) },
  { file: "app/api/settings/triage/route.ts", method: "GET", request: () => ({ path: "/api/settings/triage" }), expect: staff(200) },
  { file: "app/api/settings/triage/route.ts", method: "PATCH", request: () => ({ path: "/api/settings/triage", json: { thresholds: 5 } }), expect: adminOnly(400) },
  { file: "app/api/settings/classifier/route.ts", method: "GET", request: () => ({ path: "/api/settings/classifier" }), expect: adminOnly(200) },
  { file: "app/api/settings/classifier/route.ts", method: "PUT", request: () => ({ path: "/api/settings/classifier", json: { classifier: "vgg" } }), expect: adminOnly(400) },
  { file: "app/api/stats/[chart]/route.ts", method: "GET", request: () => ({ path: "/api/stats/volume", params: { chart: "volume" } }), expect: staff(200) },
  { file: "app/api/analyses/[id]/report.pdf/route.ts", method: "GET", request: (f) => ({ path: `/api/analyses/${f.reportId}/report.pdf`, params: { id: f.reportId } }), expect: staff(200) },

  // --- local validation (sets are the team's; applying a threshold changes site settings: admins)
  { file: "app/api/validation/sets/route.ts", method: "GET", request: () => ({ path: "/api/validation/sets" }), expect: staff(200) },
  { file: "app/api/validation/sets/route.ts", method: "POST", request: () => ({ path: "/api/validation/sets", json: { source: "guesswork" } }), expect: staff(400) },
  { file: "app/api/validation/labels-check/route.ts", method: "POST", request: () => ({ path: "/api/validation/labels-check", json: { labelsCsv: 7 } }), expect: staff(400) },
  { file: "app/api/validation/sets/[id]/route.ts", method: "GET", request: () => ({ path: `/api/validation/sets/${unknownId}`, params: { id: unknownId } }), expect: staff(404) },
  { file: "app/api/validation/sets/[id]/csv/route.ts", method: "GET", request: () => ({ path: `/api/validation/sets/${unknownId}/csv`, params: { id: unknownId } }), expect: staff(404) },
  { file: "app/api/validation/sets/[id]/pdf/route.ts", method: "GET", request: () => ({ path: `/api/validation/sets/${unknownId}/pdf`, params: { id: unknownId } }), expect: staff(404) },
  { file: "app/api/validation/sets/[id]/threshold/route.ts", method: "POST", request: () => ({ path: `/api/validation/sets/${unknownId}/threshold`, params: { id: unknownId }, json: { targetSensitivity: 7 } }), expect: adminOnly(400) },

  // --- sharing (staff side)
  { file: "app/api/analyses/[id]/shares/route.ts", method: "GET", request: (f) => ({ path: `/api/analyses/${f.reportId}/shares`, params: { id: f.reportId } }), expect: staff(200) },
  { file: "app/api/analyses/[id]/shares/route.ts", method: "POST", request: (f) => ({ path: `/api/analyses/${f.reportId}/shares`, params: { id: f.reportId }, json: { expiresInDays: 0 } }), expect: staff(400) },
  { file: "app/api/shares/[shareId]/route.ts", method: "DELETE", request: () => ({ path: `/api/shares/${unknownId}`, params: { shareId: unknownId } }), expect: staff(404) },

  // --- patients: their own shared reports, and public links (the token is the credential)
  { file: "app/(app)/my-reports/[shareId]/image.png/route.ts", method: "GET", request: (f) => ({ path: `/my-reports/${f.shareId}/image.png`, params: { shareId: f.shareId } }), expect: patientOnly(200) },
  { file: "app/(app)/my-reports/[shareId]/heatmap/[position]/route.ts", method: "GET", request: (f) => ({ path: `/my-reports/${f.shareId}/heatmap/${f.positivePosition}`, params: { shareId: f.shareId, position: f.positivePosition } }), expect: patientOnly(200) },
  { file: "app/(app)/my-reports/[shareId]/report.pdf/route.ts", method: "GET", request: (f) => ({ path: `/my-reports/${f.shareId}/report.pdf`, params: { shareId: f.shareId } }), expect: patientOnly(200) },
  { file: "app/share/[token]/image.png/route.ts", method: "GET", request: (f) => ({ path: `/share/${f.shareToken}/image.png`, params: { token: f.shareToken } }), expect: everyone(200) },
  { file: "app/share/[token]/heatmap/[position]/route.ts", method: "GET", request: (f) => ({ path: `/share/${f.shareToken}/heatmap/${f.positivePosition}`, params: { token: f.shareToken, position: f.positivePosition } }), expect: everyone(200) },
  { file: "app/share/[token]/report.pdf/route.ts", method: "GET", request: (f) => ({ path: `/share/${f.shareToken}/report.pdf`, params: { token: f.shareToken } }), expect: everyone(200) },
  { file: "app/share/[token]/access/route.ts", method: "POST", request: (f) => ({ path: `/share/${f.shareToken}/access`, params: { token: f.shareToken }, json: {} }), expect: everyone(400) },
  { file: "app/share/expired/route.ts", method: "GET", request: () => ({ path: "/share/expired" }), expect: everyone(410) },
];

const staffPage = (): Record<PageRole, PageOutcome> => ({ anonymous: "sign-in", patient: 403, radiologist: "ok", admin: "ok" });
const adminPage = (): Record<PageRole, PageOutcome> => ({ anonymous: "sign-in", patient: 403, radiologist: 403, admin: "ok" });
const patientPage = (): Record<PageRole, PageOutcome> => ({ anonymous: "sign-in", patient: "ok", radiologist: 403, admin: 403 });
const signInPage = (): Record<PageRole, PageOutcome> => ({ anonymous: "ok", patient: { redirect: "/my-reports" }, radiologist: { redirect: "/" }, admin: { redirect: "/" } });
const publicPage = (): Record<PageRole, PageOutcome> => ({ anonymous: "ok", patient: "ok", radiologist: "ok", admin: "ok" });

export const PAGES: PageEntry[] = [
  { file: "app/(app)/admin/page.tsx", path: () => "/admin", expect: { ...adminPage(), admin: { redirect: "/admin/users" } } },
  { file: "app/(app)/admin/users/page.tsx", path: () => "/admin/users", expect: adminPage() },
  { file: "app/(app)/admin/api-keys/page.tsx", path: () => "/admin/api-keys", expect: adminPage() },
  { file: "app/(app)/admin/audit/page.tsx", path: () => "/admin/audit", expect: adminPage() },
  { file: "app/(app)/admin/system/page.tsx", path: () => "/admin/system", expect: adminPage() },
  { file: "app/(app)/admin/triage/page.tsx", path: () => "/admin/triage", expect: adminPage() },
  { file: "app/(app)/admin/data/page.tsx", path: () => "/admin/data", expect: adminPage() },
  { file: "app/(app)/page.tsx", path: () => "/", expect: { ...staffPage(), patient: { redirect: "/my-reports" } } },
  { file: "app/(app)/history/page.tsx", path: () => "/history", expect: staffPage() },
  { file: "app/(app)/analyses/[id]/page.tsx", path: (f) => `/analyses/${f.analysisId}`, expect: staffPage() },
  { file: "app/(auth)/sign-in/page.tsx", path: () => "/sign-in", expect: signInPage() },
  { file: "app/(app)/api-docs/page.tsx", path: () => "/api-docs", expect: staffPage() },
  { file: "app/(app)/worklist/page.tsx", path: () => "/worklist", expect: staffPage() },
  { file: "app/(app)/stats/page.tsx", path: () => "/stats", expect: staffPage() },
  { file: "app/(app)/validation/page.tsx", path: () => "/validation", expect: staffPage() },
  { file: "app/(app)/validation/[id]/page.tsx", path: () => `/validation/${unknownId}`, expect: { ...staffPage(), radiologist: 404, admin: 404 } },
  { file: "app/(app)/my-reports/page.tsx", path: () => "/my-reports", expect: patientPage() },
  { file: "app/(app)/my-reports/[shareId]/page.tsx", path: (f) => `/my-reports/${f.shareId}`, expect: patientPage() },
  { file: "app/(app)/account/password/page.tsx", path: () => "/account/password", expect: { anonymous: "sign-in", patient: "ok", radiologist: "ok", admin: "ok" } },
  { file: "app/(app)/account/preferences/page.tsx", path: () => "/account/preferences", expect: staffPage() },
  { file: "app/(app)/account/two-factor/page.tsx", path: () => "/account/two-factor", expect: { anonymous: "sign-in", patient: "ok", radiologist: "ok", admin: "ok" } },
  { file: "app/(auth)/sign-in/refused/page.tsx", path: () => "/sign-in/refused", expect: publicPage() },
  { file: "app/invite/page.tsx", path: () => "/invite", expect: publicPage() },
  { file: "app/share/[token]/page.tsx", path: (f) => `/share/${f.shareToken}`, expect: publicPage() },
];
