// `npm run gate:report`: the chest-radiograph gate's detection and false-positive rates on the test
// corpus (test/support/imaging/gate-corpus.ts: the shared fixture films and pictures, plus generated
// non-radiographs), per family, with every miss and wrong flag named. Exits 1 below the acceptance
// bar (95% detected, no fixture film flagged).
import { closeCodecPool } from "@/lib/imaging";
import { fixturesPresent, SKIP_NOTE } from "@/test/support/imaging/fixtures";
import { evaluateGate, percent, TUNING_FAMILIES } from "@/test/support/imaging/gate-corpus";
import { runCli } from "@/lib/cli/cli-support";

const USAGE = "usage: npm run gate:report";

await runCli(USAGE, async () => {
  if (!fixturesPresent) process.stdout.write(`note: fixture films and not-xray pictures ${SKIP_NOTE}; generated corpus only\n`);
  const r = await evaluateGate();
  await closeCodecPool();
  const lines = [
    "chest-radiograph gate on the test corpus",
    `  non-radiographs flagged (detection): ${percent(r.detection.all)}`,
    `    held-out families (not used for tuning): ${percent(r.detection.heldOut)}`,
    `    tuning families (${[...TUNING_FAMILIES].join(", ")}): ${percent(r.detection.tuning)}`,
    `    every generated family redrawn from a seed not seen before reporting: ${percent(r.detection.unseen)}`,
    `  chest films flagged (false positives): fixture films ${percent(r.falsePositives.fixtureFilms)}, synthetic test films ${percent(r.falsePositives.syntheticFilms)}`,
    "  per family (flagged / images):",
    ...Object.entries(r.byFamily).map(([family, rate]) => `    ${family.padEnd(16)} ${percent(rate)}${TUNING_FAMILIES.has(family) ? "  [tuning]" : ""}`),
  ];
  const reasons = new Map<string, number>();
  for (const o of r.outcomes) if (o.flagged && o.reason) reasons.set(o.reason, (reasons.get(o.reason) ?? 0) + 1);
  lines.push(`  reasons: ${[...reasons].map(([k, n]) => `${k} ${n}`).join(", ")}`);
  for (const o of r.outcomes) {
    if (!o.image.chest && !o.flagged) lines.push(`  missed: ${o.image.name}`);
    if (o.image.chest && o.flagged) lines.push(`  wrongly flagged: ${o.image.name} (${o.reason})`);
  }
  process.stdout.write(`${lines.join("\n")}\n`);
  const ok = r.detection.all.hits >= 0.95 * r.detection.all.total && r.falsePositives.fixtureFilms.hits === 0;
  return ok ? 0 : 1;
});
