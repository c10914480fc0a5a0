// Every route handler of the app (app/**/route.ts, route groups left out), as Next.js patterns. Metrics
// label requests by these patterns only, so that made-up paths (/api/stats/<random>) cannot mint new
// series; a path no pattern matches shares one label. lib/api/route-table.test.ts keeps this list
// equal to the files under app/.
export const ROUTE_PATTERNS = [
  "/api/account/password",
  "/api/admin/api-keys",
  "/api/admin/api-keys/[id]",
  "/api/admin/audit",
  "/api/admin/audit/export",
  "/api/admin/users",
  "/api/admin/users/[id]",
  "/api/admin/users/[id]/password",
  "/api/analyses",
  "/api/analyses/[id]",
  "/api/analyses/[id]/image",
  "/api/analyses/[id]/pixels",
  "/api/analyses/[id]/report.pdf",
  "/api/analyses/[id]/review",
  "/api/analyses/[id]/review/amend",
  "/api/analyses/[id]/review/sign-off",
  "/api/analyses/[id]/shares",
  "/api/analyses/[id]/thumbnail",
  "/api/auth/[...nextauth]",
  "/api/health",
  "/api/invitations/accept",
  "/api/metrics",
  "/api/ready",
  "/api/settings/triage",
  "/api/shares/[shareId]",
  "/api/stats/[chart]",
  "/api/v1/analyses",
  "/api/v1/analyses/[id]",
  "/api/v1/analyses/[id]/fhir",
  "/api/v1/models",
  "/api/v1/openapi.json",
  "/api/worklist",
  "/my-reports/[shareId]/heatmap/[position]",
  "/my-reports/[shareId]/image.png",
  "/my-reports/[shareId]/report.pdf",
  "/share/[token]/access",
  "/share/[token]/heatmap/[position]",
  "/share/[token]/image.png",
  "/share/[token]/report.pdf",
  "/share/expired",
] as const;

/** The label of every path that matches no route. */
export const UNMATCHED_ROUTE = "unmatched";

type Segment = { kind: "static"; value: string } | { kind: "param" } | { kind: "catchAll" };

const compiled = ROUTE_PATTERNS.map((pattern) => ({
  pattern,
  segments: pattern
    .split("/")
    .slice(1)
    .map((s): Segment => (s.startsWith("[...") ? { kind: "catchAll" } : s.startsWith("[") ? { kind: "param" } : { kind: "static", value: s })),
}))
  // Static segments win over parameters, as in Next.js: /share/expired before /share/[token]/...
  .sort((a, b) => a.segments.filter((s) => s.kind !== "static").length - b.segments.filter((s) => s.kind !== "static").length);

function matches(segments: Segment[], parts: string[]): boolean {
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i];
    if (seg.kind === "catchAll") return parts.length > i;
    const part = parts[i];
    if (part === undefined || part === "") return false;
    if (seg.kind === "static" && seg.value !== part) return false;
  }
  return parts.length === segments.length;
}

/** The route pattern a request path is served by, or UNMATCHED_ROUTE. */
export function routePattern(pathname: string): string {
  const parts = pathname.replace(/\/+$/, "").split("/").slice(1);
  return compiled.find((r) => matches(r.segments, parts))?.pattern ?? UNMATCHED_ROUTE;
}
