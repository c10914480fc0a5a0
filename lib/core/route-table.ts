// The route handlers of the app (app/**/route.ts, route groups left out) as Next.js patterns. Metrics
// label requests by these patterns only, so that made-up paths (/api/stats/<random>) cannot mint new
// series; a path no pattern matches shares one label. The table is the built app's own manifest in
// production, and the app/ folder in development and tests, so a new route needs no list to update.
import fs from "node:fs";
import path from "node:path";
import { env } from "@/lib/env";

const withoutGroups = (pattern: string) => pattern.replace(/\/\([^/)]*\)/g, "") || "/";

/** Patterns of the route handlers in a `.next/server/app-paths-manifest.json`. */
export function patternsFromManifest(manifest: Record<string, string>): string[] {
  return Object.keys(manifest)
    .filter((k) => k.endsWith("/route"))
    .map((k) => withoutGroups(k.slice(0, -"/route".length)));
}

/** Patterns of the route.ts files under an app/ folder. */
export function patternsFromAppDir(dir: string, prefix = ""): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) out.push(...patternsFromAppDir(path.join(dir, entry.name), `${prefix}/${entry.name}`));
    else if (/^route\.(ts|js)$/.test(entry.name)) out.push(withoutGroups(prefix));
  }
  return out;
}

function loadPatterns(): string[] {
  const manifest = path.join(process.cwd(), ".next", "server", "app-paths-manifest.json");
  try {
    if (env.NODE_ENV === "production") return patternsFromManifest(JSON.parse(fs.readFileSync(manifest, "utf8")));
    return patternsFromAppDir(path.join(process.cwd(), "app"));
  } catch {
    return []; // no table: every request shares the one label below, which is still bounded
  }
}

/** The label of every path that matches no route. */
export const UNMATCHED_ROUTE = "unmatched";

type Segment = { kind: "static"; value: string } | { kind: "param" } | { kind: "catchAll" };

type Compiled = { pattern: string; segments: Segment[] }[];
let compiled: Compiled | undefined;

function compile(patterns: string[]): Compiled {
  const dynamic = (segments: Segment[]) => segments.filter((s) => s.kind !== "static").length;
  return (
    patterns
      .map((pattern) => ({
        pattern,
        segments: pattern
          .split("/")
          .slice(1)
          .map((s): Segment => (s.startsWith("[...") ? { kind: "catchAll" } : s.startsWith("[") ? { kind: "param" } : { kind: "static", value: s })),
      }))
      // Static segments win over parameters, as in Next.js: /share/expired before /share/[token]/...
      .sort((a, b) => dynamic(a.segments) - dynamic(b.segments))
  );
}

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
  compiled ??= compile(loadPatterns());
  return compiled.find((r) => matches(r.segments, parts))?.pattern ?? UNMATCHED_ROUTE;
}
