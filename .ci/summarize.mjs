// Adds up the Vitest and Playwright JSON reports into one closing line: "N passed, N failed, N skipped".
import fs from "node:fs";
import path from "node:path";

const dir = process.argv[2] ?? "test-reports";
let passed = 0;
let failed = 0;
let skipped = 0;
const seen = [];

const vitestFile = path.join(dir, "vitest.json");
if (fs.existsSync(vitestFile)) {
  const r = JSON.parse(fs.readFileSync(vitestFile, "utf8"));
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  skipped += r.numPendingTests + (r.numTodoTests ?? 0);
  seen.push(`vitest ${r.numPassedTests}/${r.numTotalTests}`);
}

// One Playwright report per database the end-to-end suite ran on (playwright-embedded.json, playwright-postgres.json).
for (const name of fs.existsSync(dir) ? fs.readdirSync(dir).sort() : []) {
  const run = /^playwright-(.+)\.json$/.exec(name)?.[1];
  if (!run) continue;
  const r = JSON.parse(fs.readFileSync(path.join(dir, name), "utf8"));
  const s = r.stats;
  passed += s.expected + s.flaky;
  failed += s.unexpected;
  skipped += s.skipped;
  seen.push(`playwright ${run} ${s.expected + s.flaky}/${s.expected + s.flaky + s.unexpected + s.skipped}`);
}

if (seen.length === 0) {
  console.log("no test reports found");
  process.exit(1);
}
console.log(`(${seen.join(", ")})`);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
