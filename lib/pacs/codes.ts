// Coded concepts of the results this app writes. DCM, SCT and UCUM codes where the standard has one
// (PS3.16, TID 1500 / 1501 / 4019, IHE AI Results); the rest come from this app's own coding scheme,
// declared in each file's Coding Scheme Identification Sequence as PS3.16 8.2 requires.

export interface Code {
  CodeValue: string;
  CodingSchemeDesignator: string;
  CodeMeaning: string;
}

const code = (CodeValue: string, CodingSchemeDesignator: string, CodeMeaning: string): Code => ({
  CodeValue,
  CodingSchemeDesignator,
  CodeMeaning,
});

export const LOCAL_SCHEME = "99CXRASSIST";
export const LOCAL_SCHEME_IDENTIFICATION = {
  CodingSchemeDesignator: LOCAL_SCHEME,
  CodingSchemeName: "CXR Assist result concepts",
  CodingSchemeResponsibleOrganization: "CXR Assist project",
};

export const DCM = {
  imagingMeasurementReport: code("126000", "DCM", "Imaging Measurement Report"),
  languageOfContent: code("121049", "DCM", "Language of Content Item and Descendants"),
  observerType: code("121005", "DCM", "Observer Type"),
  device: code("121007", "DCM", "Device"),
  person: code("121006", "DCM", "Person"),
  deviceObserverUid: code("121012", "DCM", "Device Observer UID"),
  deviceObserverName: code("121013", "DCM", "Device Observer Name"),
  deviceObserverManufacturer: code("121014", "DCM", "Device Observer Manufacturer"),
  deviceObserverModelName: code("121015", "DCM", "Device Observer Model Name"),
  personObserverName: code("121008", "DCM", "Person Observer Name"),
  procedureReported: code("121058", "DCM", "Procedure reported"),
  imageLibrary: code("111028", "DCM", "Image Library"),
  imageLibraryGroup: code("126200", "DCM", "Image Library Group"),
  imagingMeasurements: code("126010", "DCM", "Imaging Measurements"),
  measurementGroup: code("125007", "DCM", "Measurement Group"),
  trackingIdentifier: code("112039", "DCM", "Tracking Identifier"),
  trackingUid: code("112040", "DCM", "Tracking Unique Identifier"),
  finding: code("121071", "DCM", "Finding"),
  algorithmName: code("111001", "DCM", "Algorithm Name"),
  algorithmVersion: code("111003", "DCM", "Algorithm Version"),
  impression: code("121073", "DCM", "Impression"),
  processingEquipment: code("109102", "DCM", "Processing Equipment"),
  sourceImage: code("121112", "DCM", "Source of Measurement"),
  comment: code("121106", "DCM", "Comment"),
};

export const UMLS = {
  qualitativeEvaluations: code("C0034375", "UMLS", "Qualitative Evaluations"),
};

export const SCT = {
  yes: code("373066001", "SCT", "Yes"),
  no: code("373067005", "SCT", "No"),
  chestXray: code("399208008", "SCT", "Plain X-ray of chest"),
  length: code("410668003", "SCT", "Length"),
};

export const UCUM_UNITY = code("1", "UCUM", "no units");
export const ENGLISH = code("en-US", "RFC5646", "English (United States)");

export const LOCAL = {
  calibratedScore: code("CALIBRATED_SCORE", LOCAL_SCHEME, "Calibrated score"),
  siteThreshold: code("SITE_THRESHOLD", LOCAL_SCHEME, "Site threshold"),
  notAssessed: code("NOT_ASSESSED", LOCAL_SCHEME, "Not assessed by this model"),
  aboveThreshold: code("POSITIVE", LOCAL_SCHEME, "Positive at the model's operating point"),
  triageLevel: code("TRIAGE_LEVEL", LOCAL_SCHEME, "Triage level"),
  modelTrained: code("MODEL_TRAINED", LOCAL_SCHEME, "Model trained"),
  modelWarning: code("MODEL_WARNING", LOCAL_SCHEME, "Model warning"),
  qualityWarning: code("QUALITY_WARNING", LOCAL_SCHEME, "Image quality warning"),
  /** One code per model output label: the label itself is the code value. */
  label: (label: string) => code(label.toUpperCase().replace(/[^A-Z0-9]+/g, "_").slice(0, 16), LOCAL_SCHEME, label),
  triage: (level: string) => code(level.toUpperCase().slice(0, 16), LOCAL_SCHEME, level.replace(/_/g, " ")),
};
