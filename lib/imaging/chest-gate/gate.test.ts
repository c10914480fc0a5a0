// The chest-radiograph gate on the corpus of gate-corpus.ts: at least 95% of non-radiographs flagged
// (overall and on the families held out from tuning), none of the fixture chest films, and every
// decision coded; QUALITY_GATES=refuse refuses, warn flags and triages as not assessable.
import { describe, expect, it } from "vitest";
import { decodeImage } from "../index";
import { evaluateTriage, triageFinding } from "@/lib/triage/rules";
import { fixturesPresent, SKIP_NOTE } from "@/test/support/imaging/fixtures";
import { evaluateGate, generatedNonRadiographs, percent, type GateReport } from "@/test/support/imaging/gate-corpus";

if (!fixturesPresent) console.warn(`[chest-gate gate.test] fixture films and not-xray pictures ${SKIP_NOTE}; generated corpus only`);

describe("chest-radiograph gate on the test corpus", () => {
  let report: GateReport;
  it("flags at least 95% of non-radiographs, held-out families included", async () => {
    report = await evaluateGate();
    console.log(
      `gate: detection ${percent(report.detection.all)}, held out ${percent(report.detection.heldOut)}, unseen seed ${percent(report.detection.unseen)}, tuning ${percent(report.detection.tuning)}; ` +
        `false positives: fixture films ${percent(report.falsePositives.fixtureFilms)}, synthetic films ${percent(report.falsePositives.syntheticFilms)}`,
    );
    const missed = report.outcomes.filter((o) => !o.image.chest && !o.flagged).map((o) => o.image.name);
    expect(report.detection.all.hits / report.detection.all.total, `missed: ${missed.join(", ")}`).toBeGreaterThanOrEqual(0.95);
    expect(report.detection.heldOut.hits / report.detection.heldOut.total, `missed: ${missed.join(", ")}`).toBeGreaterThanOrEqual(0.95);
    expect(report.detection.unseen.hits / report.detection.unseen.total, `missed: ${missed.join(", ")}`).toBeGreaterThanOrEqual(0.95);
  }, 300_000);

  it("flags none of the chest films, and gives every flag a coded reason", () => {
    const wrong = report.outcomes.filter((o) => o.image.chest && o.flagged).map((o) => `${o.image.name} (${o.reason})`);
    expect(wrong).toEqual([]);
    if (fixturesPresent) expect(report.falsePositives.fixtureFilms.total).toBe(20);
    for (const o of report.outcomes.filter((x) => x.flagged)) expect(o.reason, o.image.name).toMatch(/^[a-z_]+$/);
  });
});

describe("what the gate's decision does", () => {
  it("refuse mode answers 422 with the coded reason; warn mode flags and triages as not assessable", async () => {
    const noise = (await generatedNonRadiographs(1, 1)).find((i) => i.family === "noise")!;
    const refused = decodeImage(noise.bytes, { qualityGates: "refuse" });
    await expect(refused).rejects.toMatchObject({ code: "quality_refused", httpStatus: 422 });
    await expect(refused).rejects.toHaveProperty("details.warnings.0.reason", "fine_texture");
    await expect(refused).rejects.toThrow(/does not look like a frontal chest radiograph: it is dominated by fine, noise-like texture/);

    const warned = await decodeImage(noise.bytes, { qualityGates: "warn" });
    const warning = warned.warnings.find((w) => w.code === "not_a_radiograph");
    expect(warning?.reason).toBe("fine_texture");
    const findings = [triageFinding({ label: "Effusion", calibrated: 0.99, positive: true })];
    const triage = evaluateTriage({ status: "completed", warnings: warned.warnings, findings, thresholds: {} });
    expect(triage.level).toBe("not_assessable");
  });
});
