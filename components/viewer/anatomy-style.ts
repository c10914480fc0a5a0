// Colours of the anatomy outlines (one per structure, distinct on a grey film) and of the measured CTR
// lines (distinct from the reader's own CTR tool: pink and green), and the structures shown at first.

export const STRUCTURE_COLOURS: Record<string, string> = {
  "Left Clavicle": "rgb(251 146 60)",
  "Right Clavicle": "rgb(253 186 116)",
  "Left Scapula": "rgb(163 230 53)",
  "Right Scapula": "rgb(190 242 100)",
  "Left Lung": "rgb(56 189 248)",
  "Right Lung": "rgb(45 212 191)",
  "Left Hilus Pulmonis": "rgb(167 139 250)",
  "Right Hilus Pulmonis": "rgb(196 181 253)",
  Heart: "rgb(248 113 113)",
  Aorta: "rgb(244 63 94)",
  "Facies Diaphragmatica": "rgb(250 204 21)",
  Mediastinum: "rgb(232 121 249)",
  Weasand: "rgb(103 232 249)",
  Spine: "rgb(226 232 240)",
};

export const colourOf = (name: string) => STRUCTURE_COLOURS[name] ?? "rgb(226 232 240)";

/** What the measured CTR is made of: shown at first; the other structures on demand. */
export const INITIALLY_SHOWN = ["Left Lung", "Right Lung", "Heart"];

export const MEASURED_CARDIAC = "rgb(251 113 133)";
export const MEASURED_THORACIC = "rgb(125 211 252)";
