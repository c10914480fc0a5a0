// Test data: a DX film with every attribute its IOD requires (dciodvfy finds no error in it), built
// from the PACS-style test instance (fictitious patient TEST_PATIENT).
import { testInstance } from "@/test/support/dicomweb/instances";
import { readDicomFile, writeDicomFile } from "@/lib/pacs/dicom-file";

export function conformantDx(seed: number): Buffer {
  const { dataset } = readDicomFile(testInstance("dx", seed).bytes);
  return writeDicomFile({
    ...dataset,
    ImageType: ["ORIGINAL", "PRIMARY"],
    PresentationIntentType: "FOR PRESENTATION",
    Manufacturer: "Fixture",
    PatientOrientation: ["A", "R"],
    PositionerType: "NONE",
    DetectorType: "SCINTILLATOR",
    ImagerPixelSpacing: ["0.3", "0.3"],
    PixelIntensityRelationship: "LIN",
    PixelIntensityRelationshipSign: 1,
    RescaleIntercept: "0",
    RescaleSlope: "1",
    RescaleType: "US",
    PresentationLUTShape: "IDENTITY",
    LossyImageCompression: "00",
    BurnedInAnnotation: "NO",
    ImageLaterality: "U",
    AnatomicRegionSequence: [{ CodeValue: "T-D3000", CodingSchemeDesignator: "SRT", CodeMeaning: "Chest" }],
    AcquisitionContextSequence: [],
    WindowCenter: "2048",
    WindowWidth: "4096",
  });
}

