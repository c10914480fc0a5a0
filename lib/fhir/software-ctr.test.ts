import JSONSchemaValidator from "@asymmetrik/fhir-json-schema-validator";
import { describe, expect, it } from "vitest";
import { fixtureSummary } from "@/test/support/anatomy/fixture-summary";
import { sampleReport } from "@/test/support/reports/sample-report";
import { zooPresent } from "@/test/support/zoo-models";
import { AP_NOTE } from "@/lib/anatomy/run-models";
import type { ReportData } from "@/lib/reports/report-data";
import { buildFhirBundle } from "./bundle";

// The official FHIR R4 JSON schema, as the bundle's own test uses it.
const validator = new JSONSchemaValidator();
type Resource = Record<string, unknown>;
const resourcesOf = (bundle: Resource) => (bundle.entry as { fullUrl: string; resource: Resource }[]).map((e) => e.resource);
const FILM = { width: 512, height: 430, pixelSpacingMm: [0.2, 0.2] as const };

function report(viewPosition: string, overrides: Partial<ReportData["analysis"]> = {}): ReportData {
  const { summary } = fixtureSummary("dx-12bit-explicit-le.dcm", { film: FILM, projection: viewPosition === "AP" ? "AP" : "PA" });
  return { ...sampleReport({ viewPosition, ...overrides }), anatomy: summary };
}

const softwareObservation = (resources: Resource[]) =>
  resources.find((r) => r.resourceType === "Observation" && typeof r.device === "object" && (r.code as { text?: string }).text === "Cardiothoracic ratio");

describe.skipIf(!zooPresent)("FHIR: the software-measured cardiothoracic ratio", () => {
  it("is a valid Observation by software: its method, the anatomy model as Device, derived from the study", () => {
    const bundle = buildFhirBundle(report("AP"));
    expect(validator.validate(bundle)).toEqual([]);
    const resources = resourcesOf(bundle);
    for (const r of resources) expect(validator.validate(r), String(r.resourceType)).toEqual([]);
    const obs = softwareObservation(resources)! as Resource & {
      valueQuantity: { value: number; code: string };
      component: { code: { text: string }; valueQuantity: { value: number; code: string } }[];
      method: { text: string };
      device: { reference: string };
      note: { text: string }[];
    };
    expect(obs).toBeDefined();
    expect(obs.valueQuantity).toMatchObject({ value: 0.779, code: "1" });
    expect(obs.component.map((c) => [c.code.text, c.valueQuantity.value, c.valueQuantity.code])).toEqual([
      ["Cardiac width", 65, "mm"],
      ["Thoracic width", 83.5, "mm"],
    ]);
    expect(obs.method.text).toMatch(/^Software measurement: measured by software \(chestx_det-pspnet fixture-seed1\)/);
    expect(obs.performer).toBeUndefined();
    expect(obs.derivedFrom).toEqual([{ type: "ImagingStudy", identifier: { system: "urn:dicom:uid", value: "urn:oid:1.2.826.0.1.3680043.8.498.1" } }]);
    expect(obs.note.map((n) => n.text)).toEqual([AP_NOTE, "UNTRAINED DEMONSTRATION MODEL: this measurement carries no medical meaning."]);
    const device = resources.find((r) => `urn:uuid:${r.id}` === obs.device.reference)!;
    expect(device).toMatchObject({ resourceType: "Device", deviceName: [{ name: "chestx_det-pspnet", type: "model-name" }], version: [{ value: "fixture-seed1" }] });
    // The classifier keeps its own Device; the DiagnosticReport lists the new Observation.
    expect(resources.filter((r) => r.resourceType === "Device")).toHaveLength(2);
    const diagnostic = resources.find((r) => r.resourceType === "DiagnosticReport")!;
    expect((diagnostic.result as { reference: string }[]).map((r) => r.reference)).toContain(`urn:uuid:${obs.id}`);
  });

  it("is derived from the uploaded image when there is no study, and absent on a lateral", () => {
    const png = resourcesOf(buildFhirBundle(report("PA", { studyInstanceUid: null })));
    const obs = softwareObservation(png)!;
    expect((obs.derivedFrom as { display: string }[])[0].display).toMatch(/uploaded image/);
    expect(validator.validate(obs)).toEqual([]);
    const lateral = resourcesOf(buildFhirBundle(report("LL")));
    expect(softwareObservation(lateral)).toBeUndefined();
    expect(lateral.filter((r) => r.resourceType === "Device")).toHaveLength(1);
  });
});
