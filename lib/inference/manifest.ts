import { z } from "zod";

// model.json, written beside every model.onnx. It is the contract between the converter and everything
// that runs or displays a model: output order, thresholds, input scaling, where the weights came from
// and whether they were trained at all. Pure data (no server-only) so UI code may import the types.

export const MANIFEST_FILE = "model.json";
export const ONNX_FILE = "model.onnx";
export const MANIFEST_SCHEMA_VERSION = 1;

export const Sha256Schema = z.string().regex(/^[0-9a-f]{64}$/, "must be a lowercase hex sha256");
const sha256 = Sha256Schema;

/** The PyTorch file a model's weights came from (every converted model, classifier or zoo). */
export const CheckpointSchema = z.object({
  url: z.string().url().nullable(),
  fileName: z.string(),
  sha256,
  bytes: z.number().int().nonnegative(),
  format: z.enum(["zip", "legacy"]),
  kind: z.enum(["module", "state_dict"]),
});

const AgreementProbeSchema = z.object({
  int8Convs: z.number().int().nonnegative(),
  maxAbsCalibratedDifference: z.number().nonnegative(),
  changedCalls: z.number().int().nonnegative(),
});

export const ManifestSchema = z.object({
  schemaVersion: z.literal(MANIFEST_SCHEMA_VERSION),
  name: z.string().min(1),
  /** Version of this converted artefact; bumps when the graph builder's output changes meaningfully. */
  version: z.string().min(1),
  description: z.string(),
  architecture: z.discriminatedUnion("family", [
    z.object({
      family: z.literal("densenet"),
      variant: z.string(),
      inChannels: z.number().int().positive(),
      initFeatures: z.number().int().positive(),
      growthRate: z.number().int().positive(),
      bottleneck: z.number().int().positive(),
      blocks: z.array(z.number().int().positive()).min(1),
      numFeatures: z.number().int().positive(),
      numClasses: z.number().int().positive(),
    }),
    // torchvision bottleneck ResNet (resnet50-res512-all): same inputs and outputs as the DenseNet.
    z.object({
      family: z.literal("resnet"),
      variant: z.string(),
      inChannels: z.number().int().positive(),
      blocks: z.array(z.number().int().positive()).min(1),
      numFeatures: z.number().int().positive(),
      numClasses: z.number().int().positive(),
    }),
  ]),
  /** Output order of `logits` and of the first axis of `cam`; "" marks an output the weights never learned. */
  labels: z.array(z.string()),
  /** TorchXRayVision operating points per output (null where the release has NaN), or null when none. */
  op_threshs: z.array(z.number().gt(0).lt(1).nullable()).nullable(),
  input: z.object({
    name: z.literal("image"),
    shape: z.tuple([z.literal("N"), z.number().int(), z.number().int(), z.number().int()]),
    size: z.number().int().positive(),
    dtype: z.literal("float32"),
    /** Pixel scale the model expects: TorchXRayVision maps the full display range to [-1024, 1024]. */
    scale: z.object({ min: z.literal(-1024), max: z.literal(1024) }),
    preprocessing: z.string(),
  }),
  outputs: z.object({
    logits: z.object({ name: z.literal("logits"), shape: z.tuple([z.literal("N"), z.number().int()]) }),
    cam: z.object({
      name: z.literal("cam"),
      shape: z.tuple([z.literal("N"), z.number().int(), z.number().int(), z.number().int()]),
    }),
  }),
  /** The PyTorch file the weights came from; null for the seeded demo model. */
  checkpoint: CheckpointSchema.nullable(),
  /** Seed of the random weights when the model is the offline demo. */
  seed: z.number().int().nullable(),
  trained: z.boolean(),
  /** Arithmetic of the graph; manifests written before quantization existed are float32. */
  precision: z.enum(["fp32", "int8"]).default("fp32"),
  /** How an int8 model was made from its float32 source; null for float32. */
  quantization: z
    .object({
      precision: z.literal("int8"),
      method: z.string(),
      /** The films whose activations set the ranges (a site's own, or the fixtures). */
      calibrationSet: z.string(),
      calibrationFilms: z.number().int().positive(),
      source: z.object({ name: z.string(), version: z.string(), sha256 }),
      quantizedAt: z.string().datetime(),
      /** Convolutions run int8 and kept float32 (first convolution, head, and what agreement required). */
      convolutions: z.object({ int8: z.number().int().nonnegative(), float32: z.number().int().nonnegative() }).optional(),
      /**
       * The measured mixed precision: the largest int8 tail of the network whose calibrated scores stay
       * within `limit` of the float32 graph's on the calibration films; null when not measured.
       */
      agreement: z
        .object({
          limit: z.number().nonnegative(),
          measuredOn: z.string(),
          firstInt8Conv: z.string(),
          keptFloatConvs: z.number().int().nonnegative(),
          chosen: AgreementProbeSchema,
          probes: z.array(AgreementProbeSchema),
        })
        .nullable()
        .optional(),
    })
    .nullable()
    .default(null),
  onnx: z.object({ file: z.literal(ONNX_FILE), sha256, bytes: z.number().int().positive(), opset: z.number().int() }),
  createdAt: z.string().datetime(),
});

export type ModelManifest = z.infer<typeof ManifestSchema>;
export type ModelPrecision = ModelManifest["precision"];
export type QuantizationInfo = NonNullable<ModelManifest["quantization"]>;
