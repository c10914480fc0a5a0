// The v1 API's contract: every request and response shape, as zod schemas. Handlers parse their input
// and their output with these, and lib/api/v1/openapi.ts turns the same objects into the OpenAPI
// document, so the documentation cannot drift from what the handlers do.
import { z } from "zod";
import { Uuid } from "@/lib/core/uuid-param";
import { boundedInstant } from "@/lib/core/bounded-input";
import { apiScopes } from "@/lib/auth/principal";
import { analysisStatusEnum, reviewStatusEnum, triageLevelEnum } from "@/lib/db/schema";

type Meta = { id: string; description?: string };
/** Named schemas become components/schemas entries in the OpenAPI document. */
export const v1Registry = z.registry<Meta>();
const named = <T extends z.ZodType>(schema: T, meta: Meta): T => {
  v1Registry.add(schema, meta);
  return schema;
};

const instant = boundedInstant();

export const Problem = named(
  z.object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().describe("What went wrong, written for a person."),
    code: z.string().describe("Stable machine-readable error code, e.g. `rate_limited` or `queue_full`."),
    instance: z.string().optional(),
  }),
  { id: "Problem", description: "RFC 9457 problem details (`application/problem+json`)." },
);

export const Finding = named(
  z.object({
    label: z.string().describe("Finding name as the model reports it, e.g. `Effusion`."),
    assessed: z
      .boolean()
      .describe("false: this model gives no score for the label (its release has no operating point for it); probability, calibrated and logit are then null and positive is false."),
    probability: z.number().min(0).max(1).nullable().describe("sigmoid(logit); null when not assessed."),
    calibrated: z
      .number()
      .min(0)
      .max(1)
      .nullable()
      .describe("Probability mapped through the model's operating point: 0.5 is the threshold; null when not assessed by this model."),
    positive: z.boolean().describe("calibrated >= 0.5."),
    logit: z.number().nullable(),
  }),
  { id: "Finding", description: "The model's output for one finding." },
);

export const Warning = named(
  z.object({
    code: z.string(),
    message: z.string(),
    reason: z.string().optional().describe("Why the gate fired, as a code, e.g. not_a_radiograph: fine_texture, no_chest_layout, colour."),
  }),
  { id: "Warning", description: "A quality gate that fired, e.g. a lateral view or a non-radiograph." },
);

export const Analysis = named(
  z.object({
    id: Uuid,
    status: z
      .enum(analysisStatusEnum.enumValues)
      .describe("`queued` (accepted, waiting for a worker), `processing`, `completed` (findings present) or `failed` (see `errorCode` and `error`)."),
    error: z.string().nullable().describe("Why the analysis failed, for a person, when status is `failed`."),
    errorCode: z
      .string()
      .nullable()
      .describe(
        "Stable machine-readable reason when status is `failed`: a file problem such as `corrupt` or `unsupported_transfer_syntax`, or `analysis_failed` when the analysis failed on the film three times. " +
          "`delayed` while status is still `queued`: an outage on our side outlasted the retries, and it is tried again automatically.",
      ),
    queuePosition: z.number().int().min(1).nullable().describe("Place in the analysis queue while `queued` (1 = next), else null."),
    fileName: z.string(),
    createdAt: instant,
    image: z.object({
      sha256: z.string().regex(/^[0-9a-f]{64}$/),
      format: z.string(),
      width: z.number().int(),
      height: z.number().int(),
      byteSize: z.number().int(),
      originalRemovedAt: z.iso
        .datetime({ offset: true })
        .nullable()
        .describe("When the site's retention rules removed the original file (the findings stay); null while it is stored."),
      renderingsRemovedAt: z.iso
        .datetime({ offset: true })
        .nullable()
        .describe("When the display image and thumbnail were removed (GET of the image then answers 410); null while they are stored."),
    }),
    study: z.object({
      id: Uuid.describe("The study this image belongs to (images with one Study Instance UID share it): GET /api/v1/studies/{id}."),
      modality: z.string().nullable(),
      viewPosition: z.string().nullable(),
      accessionNumber: z.string().nullable(),
      studyInstanceUid: z.string().nullable(),
      studyDate: z.string().nullable(),
    }),
    model: z
      .object({
        name: z.string(),
        version: z.string(),
        trained: z.boolean(),
        precision: z.enum(["fp32", "int8"]).describe("Arithmetic of the run: `int8` is the quantized model, used only after its comparison with `fp32` passed."),
      })
      .nullable()
      .describe("The model that produced the findings. `trained: false` marks the untrained demo model: its scores mean nothing."),
    triageLevel: z.enum(triageLevelEnum.enumValues).nullable(),
    reviewStatus: z.enum(reviewStatusEnum.enumValues),
    warnings: z.array(Warning),
    timings: z.record(z.string(), z.number()).describe("Milliseconds per pipeline stage."),
    findings: z.array(Finding).describe("In the model's output order."),
  }),
  { id: "Analysis", description: "One analysed image with all its findings." },
);
export type V1Analysis = z.infer<typeof Analysis>;

export const Prior = named(
  z.object({
    studyId: Uuid,
    studyDate: z.string().nullable().describe("YYYY-MM-DD from the DICOM Study Date; null when the file had none."),
    triageLevel: z.enum(triageLevelEnum.enumValues).nullable(),
    analysisIds: z.array(Uuid).describe("The prior study's analyses, in upload order."),
  }),
  {
    id: "Prior",
    description:
      "An earlier study of the same patient. Patients are matched by a keyed hash of Issuer of Patient ID and Patient ID; " +
      "the ID itself is never stored or returned.",
  },
);

const priors = z.array(Prior).describe("The same patient's earlier studies, newest first (the earliest last). Empty without a patient ID.");

export const AnalysisDetail = named(Analysis.extend({ priors }), {
  id: "AnalysisDetail",
  description: "One analysed image with its findings and the patient's earlier studies.",
});
export type V1AnalysisDetail = z.infer<typeof AnalysisDetail>;

export const Study = named(
  z.object({
    id: Uuid,
    studyInstanceUid: z.string().nullable(),
    studyDate: z.string().nullable(),
    triageLevel: z
      .enum(triageLevelEnum.enumValues)
      .nullable()
      .describe("The most urgent level among its assessable images (a lateral does not count while a frontal was read)."),
    analyses: z.array(Analysis).describe("Its images, in upload order."),
    priors,
  }),
  { id: "Study", description: "The images of one visit (one Study Instance UID; a PNG or JPEG is a study of one image)." },
);
export type V1Study = z.infer<typeof Study>;

export const AnalysisBatch = named(
  z.object({
    analyses: z.array(Analysis),
    failed: z.array(z.object({ index: z.number().int(), fileName: z.string(), problem: Problem })),
  }),
  {
    id: "AnalysisBatch",
    description: "Answer to an upload of several files: one analysis per file that worked, one problem per file that did not.",
  },
);

export const AnalysisPage = named(
  z.object({
    items: z.array(Analysis),
    nextCursor: z.string().nullable().describe("Pass as `cursor` for the next page; null on the last page."),
  }),
  { id: "AnalysisPage", description: "A page of analyses, newest first." },
);

export const Model = named(
  z.object({
    name: z.string(),
    version: z.string(),
    description: z.string(),
    trained: z.boolean(),
    precision: z.enum(["fp32", "int8"]),
    labels: z.array(z.string()).describe("Output order; an empty string marks an output the weights never learned."),
    inputSize: z.number().int(),
    executionProvider: z.string(),
    active: z.boolean(),
  }),
  { id: "Model" },
);

export const ModelList = named(z.object({ models: z.array(Model) }), { id: "ModelList" });

/** Query of GET /api/v1/analyses. No identifier filters: accession numbers stay out of URLs. */
export const AnalysisListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20).describe("Page size."),
  cursor: z.string().max(200).optional().describe("`nextCursor` of the previous page."),
  status: z.enum(analysisStatusEnum.enumValues).optional(),
  triageLevel: z.enum(triageLevelEnum.enumValues).optional(),
  reviewStatus: z.enum(reviewStatusEnum.enumValues).optional(),
  positive: z.string().max(80).optional().describe("Only analyses where this finding is positive, e.g. `Effusion`."),
  createdAfter: instant.optional().describe("Inclusive lower bound on createdAt."),
  createdBefore: instant.optional().describe("Exclusive upper bound on createdAt."),
});
export type AnalysisListQuery = z.output<typeof AnalysisListQuery>;

export const DicomScQuery = z.object({
  finding: z.string().min(1).max(80).optional().describe("A positive finding's label (e.g. `Effusion`): only its Secondary Capture, as application/dicom."),
});

/** Multipart body of POST /api/v1/analyses (documented by hand: zod has no type for multipart files). */
export const uploadBodyJsonSchema = {
  type: "object",
  required: ["file"],
  properties: {
    file: {
      type: "array",
      minItems: 1,
      items: { type: "string", contentMediaType: "application/octet-stream" },
      description: "One or more images (PNG, JPEG, DICOM Part 10). Repeat the field for several files.",
    },
  },
} as const;

export const scopeDescriptions: Record<(typeof apiScopes)[number], string> = {
  "analyses:read": "Read analyses and models.",
  "analyses:write": "Upload images for analysis.",
  "reports:read": "Read reports (FHIR and PDF exports).",
  "identifiers:read": "Receive patient names and IDs: needed, with analyses:read, for the DICOM SR and SC downloads, which carry the original file's patient attributes.",
};

// For the FHIR export: the outline of the Bundle; its full structure is FHIR R4's own,
// and tests validate real exports against the official FHIR R4 JSON schema.
export const FhirBundle = named(
  z
    .object({
      resourceType: z.literal("Bundle"),
      type: z.literal("collection"),
      timestamp: instant,
      entry: z.array(
        z.object({
          fullUrl: z.string().describe("urn:uuid: reference used inside the Bundle."),
          resource: z.object({ resourceType: z.string() }).catchall(z.unknown()),
        }),
      ),
    })
    .catchall(z.unknown()),
  {
    id: "FhirBundle",
    description:
      "FHIR R4 Bundle (type collection): one DiagnosticReport (conclusion = the radiologist's impression, " +
      "performer = the reviewer as Practitioner, ImagingStudy referenced by Study Instance UID when known), one " +
      "Observation per model finding (SNOMED CT code where one fits, always a local code; calibrated score as " +
      "valueQuantity; POS/NEG interpretation), an Observation per finding the radiologist added, and the model as Device.",
  },
);
