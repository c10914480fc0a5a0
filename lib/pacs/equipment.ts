import pkg from "@/package.json";
import { DCM } from "./codes";
import { MANUFACTURER, softwareVersions, type ResultContent } from "./result-content";
import { resultUids } from "./uids";

// The equipment attributes every written object carries: this app as the manufacturer, the model as
// the algorithm in the Contributing Equipment Sequence (IHE AI Results), with a device UID that
// changes whenever the model does.

export const APP_VERSION: string = pkg.version;

export function equipmentModules(content: ResultContent, at: string): Record<string, unknown> {
  const versions = softwareVersions(content, APP_VERSION);
  const deviceUid = resultUids.device(content.model);
  return {
    Manufacturer: MANUFACTURER,
    ManufacturerModelName: content.model.name.slice(0, 64),
    DeviceSerialNumber: deviceUid.slice(-16),
    SoftwareVersions: versions,
    ContributingEquipmentSequence: [
      {
        PurposeOfReferenceCodeSequence: [DCM.processingEquipment],
        Manufacturer: MANUFACTURER,
        ManufacturerModelName: content.model.name.slice(0, 64),
        SoftwareVersions: versions,
        DeviceUID: deviceUid,
        ContributionDateTime: at,
        ContributionDescription: `Chest radiograph findings by ${content.model.name} ${content.model.version}${content.model.trained ? "" : " (UNTRAINED)"}`.slice(0, 64),
      },
    ],
  };
}
