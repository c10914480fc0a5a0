// .ci/summarize.mjs on real Vitest JSON reports: a run with a skipped test that .ci/allowed-skips.json
// does not list fails, the same run without the skip passes.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const repo = path.resolve(__dirname, "../..");
fs.mkdirSync(path.join(repo, "test-reports"), { recursive: true });
const work = fs.mkdtempSync(path.join(repo, "test-reports", "summarize-"));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/** Runs Vitest on one small test file and then summarize.mjs on its JSON report. */
function summarize(name: string, body: string): { status: number | null; output: string } {
  const dir = path.join(work, name);
  fs.mkdirSync(path.join(dir, "reports"), { recursive: true });
  fs.writeFileSync(path.join(dir, "sample.test.ts"), `import { expect, it } from "vitest";\n${body}\n`);
  // A config of its own, or Vitest would find the repository's (and its include patterns) above.
  fs.writeFileSync(path.join(dir, "vitest.config.mjs"), 'export default { test: { include: ["sample.test.ts"] } };\n');
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith("VITEST") && key !== "CI")) as NodeJS.ProcessEnv;
  const vitest = spawnSync(
    process.execPath,
    [path.join(repo, "node_modules/vitest/vitest.mjs"), "run", "--root", dir, "--reporter=json", `--outputFile=${path.join(dir, "reports", "vitest.json")}`],
    { cwd: dir, encoding: "utf8", env },
  );
  expect(fs.existsSync(path.join(dir, "reports", "vitest.json")), vitest.stderr).toBe(true);
  const run = spawnSync(process.execPath, [path.join(repo, ".ci/summarize.mjs"), path.join(dir, "reports")], { cwd: repo, encoding: "utf8" });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

describe(".ci/summarize.mjs", () => {
  it("fails a run in which a test was skipped without being listed", () => {
    const run = summarize("skipped", 'it("runs", () => expect(1).toBe(1));\nit.skip("is left out", () => expect(1).toBe(2));');
    expect(run.output).toMatch(/SKIPPED, not allowed: .*sample\.test\.ts > is left out/);
    expect(run.output).toMatch(/1 passed, 0 failed, 1 skipped/);
    expect(run.status).toBe(1);
  });

  it("passes the same run without the skip", () => {
    const run = summarize("clean", 'it("runs", () => expect(1).toBe(1));');
    expect(run.output).toMatch(/1 passed, 0 failed, 0 skipped/);
    expect(run.status).toBe(0);
  });
});
