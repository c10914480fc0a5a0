import { describe, expect, it } from "vitest";
import { XRV_LABELS } from "@/test/support/triage/seed";
import { glossaryFor, patientStrings } from "./patient-strings";

describe("patient strings", () => {
  it("explain every one of the model's 18 findings in everyday words", () => {
    expect(XRV_LABELS).toHaveLength(18);
    for (const label of XRV_LABELS) {
      const g = patientStrings.glossary[label];
      expect(g, label).toBeDefined();
      expect(g.plain.length).toBeGreaterThan(3);
      expect(g.explanation.split(" ").length).toBeGreaterThan(6);
      // The medical term stays recognisable next to the plain name.
      expect(g.term.toLowerCase()).toContain(label.replaceAll("_", " ").toLowerCase().split(" ")[0].slice(0, 5));
    }
    expect(Object.keys(patientStrings.glossary)).toHaveLength(18);
  });

  it("fall back to the radiologist's own words for findings outside the label set", () => {
    expect(glossaryFor("Rib fracture, left 5th")).toEqual({ plain: "Rib fracture, left 5th", term: "Rib fracture, left 5th", explanation: "" });
  });

  it("say what likely and unlikely mean, and never claim an untrained model learned anything", () => {
    expect(patientStrings.likelyMeaning).toMatch(/does not mean .* certainly/);
    expect(patientStrings.unlikelyMeaning).toMatch(/does not rule/);
    expect(patientStrings.aiLearnedUntrained).toMatch(/not learned/);
    expect(patientStrings.untrainedBody).toMatch(/mean nothing/);
    expect(patientStrings.accessWrong(1)).toContain("1 more time ");
    expect(patientStrings.accessLocked(15)).toContain("15 minutes");
  });
});
