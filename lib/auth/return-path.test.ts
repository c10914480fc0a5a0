import { describe, expect, it } from "vitest";
import { safeReturnPath, withReturnPath } from "./return-path";

describe("safeReturnPath", () => {
  it("keeps paths on this site, with their query", () => {
    expect(safeReturnPath("/worklist")).toBe("/worklist");
    expect(safeReturnPath("/analyses/5f0c?x=1&y=%2F")).toBe("/analyses/5f0c?x=1&y=%2F");
    // Non-ASCII is percent-encoded, as a Location header needs it.
    expect(safeReturnPath("/。/x")).toBe("/%E3%80%82/x");
  });

  it("refuses anything a browser could read as another site, and pointless destinations", () => {
    for (const bad of [
      null,
      undefined,
      "",
      "/",
      "worklist",
      "https://evil.example/",
      "//evil.example/x",
      "/\\evil.example",
      "/worklist\nSet-Cookie: a=b",
      "/x\u0000",
      "/sign-in?next=/worklist",
      "/account/password",
      "/api/analyses",
      `/${"a".repeat(1000)}`,
    ]) {
      expect(safeReturnPath(bad), String(bad)).toBeNull();
    }
  });
});

describe("withReturnPath", () => {
  it("adds an encoded next parameter only for a path worth returning to", () => {
    expect(withReturnPath("/sign-in", "/analyses/1?a=b")).toBe("/sign-in?next=%2Fanalyses%2F1%3Fa%3Db");
    expect(withReturnPath("/sign-in", "//evil.example")).toBe("/sign-in");
    expect(withReturnPath("/sign-in", null)).toBe("/sign-in");
  });
});
