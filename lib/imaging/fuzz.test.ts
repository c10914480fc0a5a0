// Bounded, seeded fuzzing of decodeImage: thousands of mutated and truncated
// copies of generated images in every supported format and DICOM encoding, plus the shared
// fixtures when present. Passes when nothing crashes, nothing hangs (each case under a time
// limit, enforced from outside the process that runs it) and every failure is an ImagingError.
// Reproduce a case with: mutateCase(seeds, FUZZ_SEED, index) from test/support/imaging/fuzz.
import { fork } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { FuzzConfig, FuzzMessage } from "@/test/support/imaging/fuzz-runner";
import { fixturesPresent, SKIP_NOTE } from "@/test/support/imaging/fixtures";

const FUZZ_SEED = 20240611;
const CONFIG: FuzzConfig = {
  seed: FUZZ_SEED,
  generatedCases: 4000,
  fixtureCases: 1000,
  // Short codec deadline so a damaged frame that makes a codec spin costs 2 s, not 10+.
  codecTimeoutMs: 2_000,
};
/** A case still running after this long is a hang: the codec deadline plus generous slack. */
const CASE_LIMIT_MS = 10_000;

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, "../..");

interface Result {
  cases: number;
  outcomes: Record<string, number>;
  unexpected: string[];
  slowest: { index: number; ms: number; seed: string };
  hang?: string;
  exitCode: number | null;
  seeds: string[];
}

function runFuzz(): Promise<Result> {
  return new Promise((resolve) => {
    const child = fork(path.join(repoRoot, "test/support/imaging/fuzz-runner.ts"), [JSON.stringify(CONFIG)], {
      cwd: repoRoot,
      execArgv: ["--conditions=react-server", "--import", "tsx"],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    const result: Result = { cases: 0, outcomes: {}, unexpected: [], slowest: { index: -1, ms: 0, seed: "" }, exitCode: null, seeds: [] };
    let current: Extract<FuzzMessage, { type: "start" }> | undefined;
    let watchdog: NodeJS.Timeout | undefined;
    const arm = (ms: number) => {
      clearTimeout(watchdog);
      watchdog = setTimeout(() => {
        result.hang = current
          ? `case ${current.index} (${current.seedName}, ${current.ops.join("+")}, ${current.length} bytes) ran over ${CASE_LIMIT_MS} ms`
          : `runner silent for ${ms} ms before any case`;
        child.kill("SIGKILL");
      }, ms);
    };
    arm(60_000); // seed generation and module loading
    child.on("message", (m: FuzzMessage) => {
      if (m.type === "seeds") result.seeds = m.names;
      if (m.type === "start") {
        current = m;
        arm(CASE_LIMIT_MS);
      } else if (m.type === "end") {
        result.cases++;
        result.outcomes[m.outcome] = (result.outcomes[m.outcome] ?? 0) + 1;
        if (m.unexpected && current) result.unexpected.push(`case ${m.index} (${current.seedName}, ${current.ops.join("+")}): ${m.unexpected}`);
        if (m.ms > result.slowest.ms) result.slowest = { index: m.index, ms: m.ms, seed: current?.seedName ?? "" };
        current = undefined;
        arm(CASE_LIMIT_MS);
      } else if (m.type === "done") {
        clearTimeout(watchdog);
      }
    });
    child.on("exit", (code) => {
      clearTimeout(watchdog);
      result.exitCode = code;
      resolve(result);
    });
  });
}

describe("decodeImage fuzz (bounded, seeded)", () => {
  it(`survives ${CONFIG.generatedCases + (fixturesPresent ? CONFIG.fixtureCases : 0)} mutated files with typed errors only`, async () => {
    if (!fixturesPresent) console.warn(`[imaging fuzz.test] fixture seeds ${SKIP_NOTE}; fuzzing generated seeds only`);
    const r = await runFuzz();
    console.log(
      `fuzz seed ${FUZZ_SEED}: ${r.cases} cases over ${r.seeds.length} seeds; outcomes ${JSON.stringify(r.outcomes)}; ` +
        `slowest case ${r.slowest.index} (${r.slowest.seed}) ${r.slowest.ms.toFixed(0)} ms`,
    );
    expect(r.hang, r.hang).toBeUndefined();
    expect(r.unexpected, r.unexpected.join("\n")).toEqual([]);
    expect(r.exitCode).toBe(0);
    expect(r.cases).toBe(CONFIG.generatedCases + (fixturesPresent ? CONFIG.fixtureCases : 0));
    // The mutations must exercise both paths, or the test proves nothing.
    expect(r.outcomes.decoded ?? 0).toBeGreaterThan(50);
    expect(r.cases - (r.outcomes.decoded ?? 0)).toBeGreaterThan(500);
  }, 240_000);
});
