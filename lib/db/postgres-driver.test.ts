// postgres.js with its server connections killed (pg_terminate_backend), as a restarting or failing-over
// database does. Unpatched, 3.4.9 throws an uncaught TypeError from a deferred socket write after
// begin() sends its rollback on the closed connection, which ends the whole process; and the next query
// on that connection is rejected with the closed session's 57P01. patches/postgres+3.4.9.patch
// (applied by `npm ci` through patch-package) fixes both; these scenarios fail without it.
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";

function runScenario(scenario: "transaction" | "load") {
  const r = spawnSync(
    process.execPath,
    ["--conditions=react-server", "--import", "tsx", "test/support/postgres-kill-scenario.ts", process.env.DATABASE_URL!, scenario],
    { encoding: "utf8", timeout: 60_000 },
  );
  expect(r.stderr, "the process must not die of an uncaught exception").not.toMatch(/TypeError|uncaught/i);
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout.trim().split("\n").at(-1)!);
}

describe("postgres.js when the server terminates its connections", () => {
  it("a transaction killed mid-statement fails as 'database unavailable', the process lives on and every connection answers again", () => {
    const { killed, transaction, after } = runScenario("transaction");
    expect(killed).toBeGreaterThanOrEqual(1);
    expect(transaction).toBe("unavailable");
    // Not the previous session's "terminating connection due to administrator command" (57P01).
    expect(after).toEqual([true, true, true, true]);
  });

  it("16 clients of queries and transactions while backends are killed every 200 ms: answers are right or 'unavailable', none hangs", () => {
    const { killed, outcomes, after } = runScenario("load");
    expect(killed).toBeGreaterThan(0);
    expect(Object.keys(outcomes).sort()).toEqual(expect.arrayContaining(["ok"]));
    expect(Object.keys(outcomes).filter((k) => k !== "ok" && k !== "unavailable")).toEqual([]);
    expect(after).toEqual([true, true, true, true, true, true, true, true]);
  });
});
