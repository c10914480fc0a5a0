// The README is a front door: short, with the set-up command and the API example that CI and the
// end-to-end suite run from it, and a link to every page under docs/. Every local link in the README,
// CONTRIBUTING.md and docs/ leads to a file that exists.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const repo = path.resolve(__dirname, "../..");
const read = (file: string) => fs.readFileSync(path.join(repo, file), "utf8");
const readme = read("README.md");
const pages = fs.readdirSync(path.join(repo, "docs")).filter((f) => f.endsWith(".md")).sort();

/** Local link targets (no scheme, no pure #anchor) of a markdown file, resolved from its folder. */
function localLinks(file: string): string[] {
  const targets = [...read(file).matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]);
  return targets.filter((t) => !/^[a-z]+:/i.test(t) && !t.startsWith("#")).map((t) => path.join(path.dirname(file), t.split("#")[0]));
}

describe("README and docs/", () => {
  it("keep the README short", () => {
    expect(readme.split("\n").length).toBeLessThanOrEqual(200);
  });

  it("keep the markers CI and the end-to-end suite read", () => {
    expect(readme).toMatch(/<!-- setup-command:start -->\n```sh\n.+\n```\n<!-- setup-command:end -->/);
    expect(readme).toMatch(/<!-- api-example:start -->\n```sh\ncurl .+\n```\n<!-- api-example:end -->/);
  });

  it("link every docs page from the README", () => {
    expect(pages.length).toBeGreaterThan(5);
    const linked = new Set(localLinks("README.md"));
    expect(pages.filter((page) => !linked.has(path.join("docs", page)))).toEqual([]);
  });

  it("have no broken local links", () => {
    const files = ["README.md", "CONTRIBUTING.md", ...pages.map((page) => path.join("docs", page))];
    const broken = files.flatMap((file) => localLinks(file).filter((target) => !fs.existsSync(path.join(repo, target))).map((target) => `${file} -> ${target}`));
    expect(broken).toEqual([]);
  });
});
