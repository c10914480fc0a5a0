import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROUTE_PATTERNS, routePattern, UNMATCHED_ROUTE } from "./route-table";

function routeFiles(dir: string, prefix = ""): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      // Route groups "(app)" do not appear in URLs.
      const segment = /^\(.*\)$/.test(entry.name) ? "" : `/${entry.name}`;
      out.push(...routeFiles(path.join(dir, entry.name), prefix + segment));
    } else if (entry.name === "route.ts") {
      out.push(prefix);
    }
  }
  return out;
}

describe("route table", () => {
  it("lists exactly the route handlers under app/", () => {
    expect([...ROUTE_PATTERNS].sort()).toEqual(routeFiles(path.resolve("app")).sort());
  });

  it("maps paths to their patterns and everything else to one label", () => {
    expect(routePattern("/api/analyses/0b5e8a3c-1f4e-4a8e-9d3a-3b1c2d4e5f60/review/sign-off")).toBe("/api/analyses/[id]/review/sign-off");
    expect(routePattern("/api/stats/whatever-anyone-types")).toBe("/api/stats/[chart]");
    expect(routePattern("/share/expired")).toBe("/share/expired");
    expect(routePattern("/share/abc/report.pdf")).toBe("/share/[token]/report.pdf");
    expect(routePattern("/api/auth/callback/credentials")).toBe("/api/auth/[...nextauth]");
    expect(routePattern("/api/worklist/")).toBe("/api/worklist");
    expect(routePattern("/api/stats/a/b")).toBe(UNMATCHED_ROUTE);
    expect(routePattern("/api/nothing-here")).toBe(UNMATCHED_ROUTE);
    expect(routePattern("/api//worklist")).toBe(UNMATCHED_ROUTE);
  });
});
