// Codes for the model's labels. SNOMED CT where a concept matches the label's meaning in the training
// data (checked against published SNOMED CT mappings); labels without a faithful concept (a "Mass" could
// be anywhere in the chest, "Lung Opacity" is a sign, not a disorder) carry only the local code, which
// every finding carries anyway so that a receiving system can round-trip the model's own label.

export const SNOMED = "http://snomed.info/sct";
export const LOINC = "http://loinc.org";
export const UCUM = "http://unitsofmeasure.org";
/** Local code systems of this platform: stable URNs, independent of where an installation is hosted. */
export const LOCAL_FINDINGS = "urn:cxr-platform:fhir:CodeSystem:finding";
export const LOCAL_TRIAGE = "urn:cxr-platform:fhir:CodeSystem:triage-level";
export const LOCAL_SCORES = "urn:cxr-platform:fhir:CodeSystem:score";

export interface Coding {
  system: string;
  code: string;
  display: string;
}

const snomedByLabel: Record<string, Coding> = {
  Atelectasis: { system: SNOMED, code: "46621007", display: "Atelectasis" },
  Consolidation: { system: SNOMED, code: "95436008", display: "Lung consolidation" },
  Infiltration: { system: SNOMED, code: "409609008", display: "Radiologic infiltrate of lung" },
  Pneumothorax: { system: SNOMED, code: "36118008", display: "Pneumothorax" },
  Edema: { system: SNOMED, code: "19242006", display: "Pulmonary edema" },
  Emphysema: { system: SNOMED, code: "87433001", display: "Pulmonary emphysema" },
  Fibrosis: { system: SNOMED, code: "51615001", display: "Fibrosis of lung" },
  Effusion: { system: SNOMED, code: "60046008", display: "Pleural effusion" },
  Pneumonia: { system: SNOMED, code: "233604007", display: "Pneumonia" },
  Cardiomegaly: { system: SNOMED, code: "8186001", display: "Cardiomegaly" },
};

export const displayLabel = (label: string) => label.replaceAll("_", " ");

/** Local codes are the label in kebab case: "Lung Opacity" -> "lung-opacity". */
export function localFindingCode(label: string): string {
  return label
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

export function findingCodings(label: string): Coding[] {
  const local: Coding = { system: LOCAL_FINDINGS, code: localFindingCode(label), display: displayLabel(label) };
  const standard = snomedByLabel[label];
  return standard ? [standard, local] : [local];
}

export function hasStandardCode(label: string): boolean {
  return label in snomedByLabel;
}

/** LOINC "Diagnostic imaging study": the report's document kind. */
export const REPORT_CODE: Coding = { system: LOINC, code: "18748-4", display: "Diagnostic imaging study" };
