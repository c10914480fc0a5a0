// Adds up the Vitest and Playwright JSON reports into one closing line: "N passed, N failed, N skipped",
// and fails the run when a test was skipped that .ci/allowed-skips.json does not list with a reason
// (a suite that quietly skips for want of a fixture or a tool has not passed).
import fs from "node:fs";
import path from "node:path";

const dir = process.argv[2] ?? "test-reports";
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const { allowed } = JSON.parse(fs.readFileSync(path.join(root, ".ci", "allowed-skips.json"), "utf8"));
let passed = 0;
let failed = 0;
const skippedTests = [];
const seen = [];

const relative = (file) => path.relative(root, path.resolve(root, file)).split(path.sep).join("/");

const vitestFile = path.join(dir, "vitest.json");
if (fs.existsSync(vitestFile)) {
  const r = JSON.parse(fs.readFileSync(vitestFile, "utf8"));
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  for (const file of r.testResults ?? []) {
    for (const test of file.assertionResults ?? []) {
      if (["skipped", "pending", "todo", "disabled"].includes(test.status)) skippedTests.push({ file: relative(file.name), title: test.fullName ?? test.title });
    }
  }
  seen.push(`vitest ${r.numPassedTests}/${r.numTotalTests}`);
}

function playwrightSkips(suite, titles, file) {
  const here = suite.file ?? file;
  for (const spec of suite.specs ?? []) {
    for (const test of spec.tests ?? []) {
      if (test.status === "skipped") skippedTests.push({ file: relative(path.join("e2e", spec.file ?? here)), title: [...titles, spec.title].join(" > ") });
    }
  }
  for (const child of suite.suites ?? []) playwrightSkips(child, suite.title && suite.title !== here ? [...titles, suite.title] : titles, here);
}

// One Playwright report per database the end-to-end suite ran on (playwright-embedded.json, playwright-postgres.json).
for (const name of fs.existsSync(dir) ? fs.readdirSync(dir).sort() : []) {
  const run = /^playwright-(.+)\.json$/.exec(name)?.[1];
  if (!run) continue;
  const r = JSON.parse(fs.readFileSync(path.join(dir, name), "utf8"));
  const s = r.stats;
  passed += s.expected + s.flaky;
  failed += s.unexpected;
  for (const suite of r.suites ?? []) playwrightSkips(suite, [], suite.file);
  seen.push(`playwright ${run} ${s.expected + s.flaky}/${s.expected + s.flaky + s.unexpected + s.skipped}`);
}

if (seen.length === 0) {
  console.log("no test reports found");
  process.exit(1);
}

const reasonFor = (skip) => allowed.find((a) => a.file === skip.file && skip.title.includes(a.title))?.reason;
const unlisted = skippedTests.filter((skip) => !reasonFor(skip));
for (const skip of skippedTests) {
  const reason = reasonFor(skip);
  console.log(reason ? `allowed skip: ${skip.file} > ${skip.title} (${reason})` : `SKIPPED, not allowed: ${skip.file} > ${skip.title}`);
}
if (unlisted.length) console.log(`${unlisted.length} skipped tests are not in .ci/allowed-skips.json: a skip fails the run unless it is listed there with its reason`);

console.log(`(${seen.join(", ")})`);
console.log(`${passed} passed, ${failed} failed, ${skippedTests.length} skipped`);
process.exit(failed > 0 || passed === 0 || unlisted.length > 0 ? 1 : 0);
