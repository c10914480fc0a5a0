// Every word a patient reads (share page, access-code form, expired-link page, patient PDF) lives here,
// so a translation is one more object of the same type. Plain language, short sentences, no jargon
// without an explanation next to it. Keep it calm and honest: the AI is a helper, the radiologist decides.

export interface GlossaryEntry {
  /** Everyday name, first. */
  plain: string;
  /** The medical term as it appears on reports. */
  term: string;
  explanation: string;
}

/** The model's 18 labels (TorchXRayVision "all"), in everyday words. */
const glossary: Record<string, GlossaryEntry> = {
  Atelectasis: {
    plain: "Partly collapsed lung",
    term: "Atelectasis",
    explanation:
      "A part of the lung is not fully filled with air. It is common after surgery or long bed rest and is often mild.",
  },
  Consolidation: {
    plain: "Filled-in lung area",
    term: "Consolidation",
    explanation:
      "An area of lung where the air spaces are filled with fluid or other material instead of air. An infection is a common cause.",
  },
  Infiltration: {
    plain: "Hazy lung area",
    term: "Infiltration",
    explanation:
      "A hazy area in the lung where something other than air, such as fluid or inflammation, has collected. It describes what the image looks like, not a cause.",
  },
  Pneumothorax: {
    plain: "Air outside the lung",
    term: "Pneumothorax",
    explanation:
      "Air has collected between the lung and the chest wall, which can let part of the lung collapse. A large one can need quick treatment.",
  },
  Edema: {
    plain: "Fluid in the lungs",
    term: "Pulmonary edema",
    explanation: "Extra fluid in the lungs. It is often linked to the heart not pumping as well as it should.",
  },
  Emphysema: {
    plain: "Damaged air sacs",
    term: "Emphysema",
    explanation:
      "Long-term damage to the tiny air sacs of the lungs, which makes breathing out harder. Smoking is the most common cause.",
  },
  Fibrosis: {
    plain: "Scarring of the lung",
    term: "Fibrosis",
    explanation: "Scar tissue in the lung, which can make the lungs stiffer.",
  },
  Effusion: {
    plain: "Fluid around the lung",
    term: "Pleural effusion",
    explanation: "Fluid has collected between the lung and the chest wall.",
  },
  Pneumonia: {
    plain: "Lung infection",
    term: "Pneumonia",
    explanation:
      "An infection of the lung. An X-ray can suggest it; doctors also use your symptoms and other tests to decide.",
  },
  Pleural_Thickening: {
    plain: "Thickened lung lining",
    term: "Pleural thickening",
    explanation:
      "The thin lining around the lungs is thicker than usual, often after an old inflammation or exposure to dust such as asbestos.",
  },
  Cardiomegaly: {
    plain: "Large-looking heart",
    term: "Cardiomegaly",
    explanation:
      "The heart looks larger than usual on the X-ray. How the picture was taken can also make a normal heart look larger.",
  },
  Nodule: {
    plain: "Small spot in the lung",
    term: "Nodule",
    explanation:
      "A small round spot in the lung, under about 3 cm. Most nodules are harmless, but some need a follow-up scan.",
  },
  Mass: {
    plain: "Larger spot in the lung",
    term: "Mass",
    explanation: "A spot in the chest larger than about 3 cm. It usually needs further tests to find out what it is.",
  },
  Hernia: {
    plain: "Stomach pushing into the chest",
    term: "Hiatal hernia",
    explanation:
      "Part of the stomach has moved up through the muscle that separates the belly from the chest. It is common and often causes no trouble.",
  },
  "Lung Lesion": {
    plain: "Unusual lung area",
    term: "Lung lesion",
    explanation: "A general term for any area of the lung that looks different from normal lung.",
  },
  Fracture: {
    plain: "Broken bone",
    term: "Fracture",
    explanation: "A break in a bone seen on the X-ray, most often a rib.",
  },
  "Lung Opacity": {
    plain: "Whiter area in the lung",
    term: "Lung opacity",
    explanation:
      "An area of the lung that looks whiter than it should. Many things can cause it, such as fluid, infection or scarring.",
  },
  "Enlarged Cardiomediastinum": {
    plain: "Wide middle of the chest",
    term: "Enlarged cardiomediastinum",
    explanation:
      "The middle of the chest, which holds the heart and large blood vessels, looks wider than usual. How the picture was taken can also cause this.",
  },
};

export const patientStrings = {
  lang: "en",
  pageTitle: "Your chest X-ray report",
  intro:
    "This page explains the result of your chest X-ray in plain words. A radiologist (a doctor who specialises in reading medical images) reviewed it with the help of a computer program (AI).",

  untrainedTitle: "Important: the AI on this page is a test version",
  untrainedBody:
    "The AI used for this report has not been trained on real X-rays. Its scores and coloured maps are random and mean nothing about your health. Please rely only on what the radiologist wrote.",

  radiologistHeading: "What the radiologist found",
  noImpression: "The radiologist did not write a summary. Please ask the clinic that sent you this link.",
  /** The radiologist's overall result, shown above their words. */
  overallResult: {
    normal: "Overall result: normal. The radiologist found nothing that needs follow-up on this X-ray.",
    abnormal: "Overall result: something was found. The radiologist noted findings your doctor will talk to you about.",
  },
  reviewedBy: (name: string, date: string) => `Reviewed and signed by ${name} on ${date}.`,
  /** Who signed, when the account has no name (staff e-mail addresses are never shown to patients). */
  yourRadiologist: "your radiologist",
  amended: (reason: string) => `This report was corrected after it was first signed. Reason given: ${reason}`,
  radiologistAdded: "The radiologist also noted:",

  aiHeading: "What the AI suggested",
  aiIntro:
    "The AI gave each of 18 possible findings a score from 0 to 1. Findings at or above its flagging point are called likely. The radiologist checked every one of them.",
  aiLikelyNone: "The AI did not flag any finding as likely.",
  aiLikelyHeading: "Flagged as likely by the AI",
  aiUnlikelyHeading: "Scored as unlikely by the AI",
  likely: "Likely",
  unlikely: "Unlikely",
  notAssessedHeading: "Not assessed by this AI model (it gives no score for these)",
  notAssessed: "Not assessed by this model",
  score: (value: string) => `score ${value}`,
  radiologistAgreed: "The radiologist agreed.",
  radiologistDisagreed: "The radiologist did not agree.",
  radiologistAgreedNegative: "The radiologist agreed this is not present.",
  radiologistDisagreedNegative: "The radiologist disagreed: see their notes above.",

  wordsHeading: "What \u201clikely\u201d and \u201cunlikely\u201d mean",
  likelyMeaning:
    "Likely: the AI's score is at or above the point where it flags a finding. It does not mean the finding is certainly there.",
  unlikelyMeaning:
    "Unlikely: the score is below that point. It does not rule the finding out.",
  scoreMeaning:
    "A score is not the percentage chance that you have a condition. The AI's flagging point is 0.5.",

  imageHeading: "Your X-ray image",
  imageAlt: "Your chest X-ray",
  heatmapHeading: "Where the AI looked",
  heatmapIntro:
    "For each finding the AI flagged, the coloured areas show where it looked most when giving its score. They are not an outline of a disease.",
  heatmapAlt: (finding: string) => `Your chest X-ray with coloured areas showing where the AI looked for: ${finding}`,
  heatmapLegendLow: "less attention",
  heatmapLegendHigh: "more attention",
  heatmapMissing: "No image is available for this report.",

  glossaryHeading: "What the terms mean",
  glossaryIntro: "All 18 findings the AI looks for, in everyday words.",

  aboutHeading: "About the AI",
  aiIs: [
    "The AI is a computer program that looked only at this X-ray image and gave a score for each of 18 possible findings.",
  ],
  aiLearnedTrained: "It learned from chest X-rays of many other people.",
  aiLearnedUntrained: "This test version has not learned from any X-rays yet, so its scores are random.",
  aiIsNot: [
    "It is not a doctor. It does not know your symptoms, your history or your other tests.",
    "It can miss things, and it can flag things that are not there.",
    "The radiologist's summary at the top is what counts, not the AI's scores.",
  ],
  aiIsHeading: "What the AI is",
  aiIsNotHeading: "What the AI is not",
  modelLine: (name: string, version: string, trained: boolean | null) =>
    `AI model: ${name} ${version}${trained === false ? " (untrained test version)" : ""}.`,

  questions:
    "If you have questions about this report, contact the doctor or clinic who gave you this link. If you feel very unwell, call your local emergency number.",
  downloadPdf: "Download this report as a PDF",
  expiresOn: (date: string) => `This link works until ${date}.`,

  accessHeading: "Enter your access code",
  accessIntro: "This report is protected. Enter the access code you were given separately from the link.",
  accessLabel: "Access code",
  accessSubmit: "Open my report",
  accessChecking: "Checking\u2026",
  accessWrong: (left: number) =>
    left > 0
      ? `That code is not right. You can try ${left} more time${left === 1 ? "" : "s"} before a short wait.`
      : "That code is not right.",
  accessLocked: (minutes: number) =>
    `Too many wrong codes. For your safety, please wait about ${minutes} minute${minutes === 1 ? "" : "s"} and try again.`,
  accessFailed: "Something went wrong. Please try again.",

  notFoundTitle: "This link does not work",
  notFoundBody:
    "The link may have been typed incorrectly, or the clinic may have withdrawn it. Please contact the clinic that sent it to you.",
  expiredTitle: "This link has expired",
  expiredBody: "For your privacy, report links only work for a limited time. Please ask the clinic that sent it for a new link.",
  removedTitle: "This report is no longer available",
  removedBody: "The clinic has deleted this report, so the link no longer opens it. If you need it, please contact the clinic that sent it.",

  triage: {
    critical: "Urgent finding flagged by the AI",
    abnormal: "Findings flagged by the AI",
    normal: "No finding flagged by the AI",
    not_assessable: "The AI could not assess this image",
  } as Record<string, string>,

  pdf: {
    title: "Chest X-ray report",
    subtitle: "Reviewed by a radiologist with the help of an AI program",
    patientNote:
      "This copy was made for you. The radiologist's summary comes first; the AI's scores follow and were checked by the radiologist.",
  },

  software: {
    heading: "Measured by a computer program",
    intro: "A computer program outlined your heart and lungs on the X-ray and measured them. Your radiologist decides what these measurements mean.",
    ratio: (percent: number) => `Width of the heart compared with the width of the chest: about ${percent}%.`,
    widths: (heartCm: string, chestCm: string) => `The heart measured about ${heartCm} across and the chest about ${chestCm}.`,
    ap: "This X-ray was taken from the front of the body (an AP view), which makes the heart look larger than it is, so this number is higher than it would be on a standard X-ray taken from the back.",
    unknownView:
      "If this X-ray was taken from the front of the body (an AP view), the heart looks larger than it is, so this number may be higher than on a standard X-ray taken from the back.",
    untrained: "The program that made this measurement is a test version that has not been trained on real X-rays: this number means nothing about your health.",
    whereHeading: "Where the computer saw each possible finding:",
    where: (finding: string, place: string) => `${finding}: ${place}.`,
  },

  glossary,
};

export type PatientStrings = typeof patientStrings;

/** The entry for a model label, or a neutral one for labels added by the radiologist in free text. */
export function glossaryFor(label: string, strings: PatientStrings = patientStrings): GlossaryEntry {
  return (
    strings.glossary[label] ?? {
      plain: label.replaceAll("_", " "),
      term: label.replaceAll("_", " "),
      explanation: "",
    }
  );
}
