import { describe, expect, it } from "vitest";
import { decideLocalUrl } from "./local-url";

describe("the links' address when PUBLIC_URL is not set", () => {
  it("is this machine's on a loopback or unspecified listen address", () => {
    expect(decideLocalUrl({ port: 3000 })).toEqual({ kind: "local", url: "http://localhost:3000" });
    expect(decideLocalUrl({ hostname: "0.0.0.0", port: 8080 })).toEqual({ kind: "local", url: "http://localhost:8080" });
    expect(decideLocalUrl({ hostname: "127.0.0.1", port: 3001 })).toEqual({ kind: "local", url: "http://127.0.0.1:3001" });
    expect(decideLocalUrl({ hostname: "::1", port: 3001 })).toEqual({ kind: "local", url: "http://[::1]:3001" });
  });

  it("is required, with a message saying what to set, on any other listen address", () => {
    const d = decideLocalUrl({ hostname: "10.0.0.5", port: 3000 });
    expect(d.kind).toBe("required");
    expect(d.kind === "required" && d.message).toContain("Set PUBLIC_URL");
  });

  it("steps aside when PUBLIC_URL is set", () => {
    expect(decideLocalUrl({ publicUrl: "https://cxr.example.org", hostname: "10.0.0.5", port: 3000 })).toEqual({ kind: "public_url" });
  });
});
