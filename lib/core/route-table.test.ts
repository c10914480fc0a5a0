import path from "node:path";
import { describe, expect, it } from "vitest";
import { patternsFromAppDir, patternsFromManifest, routePattern, UNMATCHED_ROUTE } from "./route-table";

describe("route table", () => {
  it("reads the same patterns from the app folder and from a build manifest", () => {
    const fromDir = patternsFromAppDir(path.resolve("app"));
    expect(fromDir).toContain("/api/stats/[chart]");
    expect(fromDir).toContain("/my-reports/[shareId]/report.pdf");
    expect(fromDir).not.toContain("/(app)/my-reports/[shareId]/report.pdf");
    const manifest = Object.fromEntries(
      [
        ["/_not-found/page", "app/_not-found/page.js"],
        ["/(app)/my-reports/[shareId]/report.pdf/route", "x"],
        ["/api/stats/[chart]/route", "x"],
        ["/(app)/worklist/page", "x"],
      ].map(([k, v]) => [k, v]),
    );
    expect(patternsFromManifest(manifest)).toEqual(["/my-reports/[shareId]/report.pdf", "/api/stats/[chart]"]);
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
