// The dependency rules `npm run lint` runs (.dependency-cruiser.cjs) on small trees of their own: a
// clean tree passes, and each kind of violation fails the run with its rule's name. So the rule set
// can fail, and a passing lint on the real tree means something.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const repo = path.resolve(__dirname, "../..");
const bin = path.join(repo, "node_modules/dependency-cruiser/bin/dependency-cruiser.mjs");
const config = path.join(repo, ".dependency-cruiser.cjs");
const dirs: string[] = [];

afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

/** A clean little product: core at the bottom, db above it, a route calling a query, a test helper. */
const BASE: Record<string, string> = {
  "tsconfig.json": JSON.stringify({ compilerOptions: { baseUrl: ".", paths: { "@/*": ["./*"] }, module: "esnext", moduleResolution: "bundler" } }),
  "lib/core/errors.ts": "export class AppError extends Error {}\n",
  "lib/db/client.ts": 'import { AppError } from "@/lib/core/errors";\nexport const db = { AppError };\n',
  "lib/db/client.test.ts": 'import { db } from "./client";\nimport { helper } from "@/test/support/helper";\nexport const t = [db, helper];\n',
  "lib/db/users.ts": 'import { db } from "./client";\nexport const listUsers = () => db;\n',
  "app/page.ts": 'import { listUsers } from "@/lib/db/users";\nexport default listUsers;\n',
  "test/support/helper.ts": 'import { db } from "@/lib/db/client";\nexport const helper = db;\n',
};

function cruise(extra: Record<string, string>): { status: number | null; output: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dependency-rules-"));
  dirs.push(dir);
  for (const [file, text] of Object.entries({ ...BASE, ...extra })) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  const run = spawnSync(process.execPath, [bin, "--config", config, "--output-type", "err", "lib", "app", "test"], { cwd: dir, encoding: "utf8" });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

describe("dependency rules (.dependency-cruiser.cjs)", () => {
  it("pass a tree whose imports point down (tests may import test support)", () => {
    const run = cruise({});
    expect(run.output).not.toMatch(/error/);
    expect(run.status).toBe(0);
  });

  it("fail on a cycle between two files", () => {
    const run = cruise({
      "lib/core/a.ts": 'import { b } from "./b";\nexport const a = () => b;\n',
      "lib/core/b.ts": 'import { a } from "./a";\nexport const b = () => a;\n',
    });
    expect(run.status).not.toBe(0);
    expect(run.output).toMatch(/no-circular: lib\/core\/(a|b)\.ts/);
  });

  it("fail on a lower layer importing a higher one (which would make a folder cycle)", () => {
    const run = cruise({ "lib/core/ids.ts": 'import { db } from "@/lib/db/client";\nexport const ids = db;\n' });
    expect(run.status).not.toBe(0);
    expect(run.output).toMatch(/layer:core: lib\/core\/ids\.ts → lib\/db\/client\.ts/);
  });

  it("fail on lib importing a route", () => {
    const run = cruise({ "lib/db/routes.ts": 'import page from "@/app/page";\nexport const p = page;\n' });
    expect(run.status).not.toBe(0);
    expect(run.output).toMatch(/lib-not-app: lib\/db\/routes\.ts → app\/page\.ts/);
  });

  it("fail on the product importing test support", () => {
    const run = cruise({ "app/other.ts": 'import { helper } from "@/test/support/helper";\nexport default helper;\n' });
    expect(run.status).not.toBe(0);
    expect(run.output).toMatch(/product-not-test-support: app\/other\.ts → test\/support\/helper\.ts/);
  });

  it("fail on a route with a database query of its own, and pass one that only uses a schema type", () => {
    const run = cruise({
      "lib/db/schema.ts": "export const users = { id: 1 };\nexport type User = { id: string };\n",
      "app/typed.ts": 'import type { User } from "@/lib/db/schema";\nexport const u: User | null = null;\n',
      "app/query.ts": 'import { users } from "@/lib/db/schema";\nimport { db } from "@/lib/db/client";\nexport default [users, db];\n',
    });
    expect(run.status).not.toBe(0);
    expect(run.output).toMatch(/no-sql-in-app: app\/query\.ts → lib\/db\/schema\.ts/);
    expect(run.output).toMatch(/no-sql-in-app: app\/query\.ts → lib\/db\/client\.ts/);
    expect(run.output).not.toMatch(/app\/typed\.ts/);
  });

  it("fail on a lib folder that has no place in the layer list", () => {
    const run = cruise({ "lib/gadgets/gadget.ts": 'import { db } from "@/lib/db/client";\nexport const g = db;\n' });
    expect(run.status).not.toBe(0);
    expect(run.output).toMatch(/layer:unlisted: lib\/gadgets\/gadget\.ts/);
  });
});

describe("the layer table of docs/architecture.md", () => {
  it("lists exactly the layers and folders, in the order, that the rules enforce", () => {
    const source = fs.readFileSync(config, "utf8");
    const body = /const LAYERS = \[([\s\S]*?)\n\];/.exec(source)?.[1];
    expect(body, "LAYERS in .dependency-cruiser.cjs").toBeTruthy();
    const layers = new Function(`return [${body}]`)() as [string, string[]][];
    const doc = fs.readFileSync(path.join(repo, "docs/architecture.md"), "utf8");
    const rows = [...doc.matchAll(/^\| (\w+) \| (.*) \|$/gm)]
      .filter(([, layer]) => layers.some(([name]) => name === layer))
      .map(([, layer, cell]) => [layer, [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]).filter((e) => e !== "defineRoute")] as [string, string[]]);
    // The table reads top first; the rules bottom first.
    expect(rows.reverse()).toEqual(layers);
  });
});
