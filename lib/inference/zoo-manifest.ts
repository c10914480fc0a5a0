import { z } from "zod";
import { CheckpointSchema, MANIFEST_SCHEMA_VERSION, ONNX_FILE, Sha256Schema } from "./manifest";

// model.json of the models that are not the findings classifier: the chestx_det PSPNet (task
// "anatomy": 14 structure masks) and xinario's view model (task "view": frontal vs lateral). The same
// contract as the classifier's manifest where they overlap (input on the [-1024, 1024] scale, checkpoint
// provenance, trained flag); `task` tells them apart. Pure data, safe on the client.

const sha256 = Sha256Schema;

export const ZOO_TASKS = ["anatomy", "view"] as const;
export type ZooTask = (typeof ZOO_TASKS)[number];

export const ZooManifestSchema = z.object({
  schemaVersion: z.literal(MANIFEST_SCHEMA_VERSION),
  task: z.enum(ZOO_TASKS),
  name: z.string().min(1),
  version: z.string().min(1),
  description: z.string(),
  architecture: z.object({
    family: z.enum(["pspnet", "resnet"]),
    variant: z.string(),
    blocks: z.array(z.number().int().positive()).min(1),
    numClasses: z.number().int().positive(),
  }),
  /** Output channels in order: the 14 anatomical targets, or Frontal, Lateral. */
  labels: z.array(z.string().min(1)).min(1),
  /** These models have no operating points: a mask is logits > 0, the view is the larger logit. */
  op_threshs: z.null(),
  input: z.object({
    name: z.literal("image"),
    shape: z.tuple([z.literal("N"), z.literal(1), z.number().int(), z.number().int()]),
    size: z.number().int().positive(),
    dtype: z.literal("float32"),
    scale: z.object({ min: z.literal(-1024), max: z.literal(1024) }),
    preprocessing: z.string(),
    /** What the graph does to the 1-channel tensor before its first convolution. */
    normalisation: z.literal("repeat to 3 channels, (x + 1024) / 2048, ImageNet mean/std"),
  }),
  outputs: z.object({
    logits: z.object({ name: z.literal("logits"), shape: z.array(z.union([z.literal("N"), z.number().int()])) }),
  }),
  checkpoint: CheckpointSchema.extend({
    /** Checkpoint tensors not in the inference graph (PSPNet's auxiliary training head). */
    dropped: z.array(z.string()),
  }).nullable(),
  seed: z.number().int().nullable(),
  trained: z.boolean(),
  onnx: z.object({ file: z.literal(ONNX_FILE), sha256, bytes: z.number().int().positive(), opset: z.number().int() }),
  createdAt: z.string().datetime(),
});

export type ZooManifest = z.infer<typeof ZooManifestSchema>;

export const PSPNET_TARGETS = [
  "Left Clavicle", "Right Clavicle", "Left Scapula", "Right Scapula", "Left Lung", "Right Lung",
  "Left Hilus Pulmonis", "Right Hilus Pulmonis", "Heart", "Aorta", "Facies Diaphragmatica", "Mediastinum",
  "Weasand", "Spine",
] as const;

export const VIEW_LABELS = ["Frontal", "Lateral"] as const;

export function preprocessingText(size: number): string {
  return `first channel; (2*v/maxval - 1)*1024; centre square crop on the long side; antialiased bilinear resize to ${size}x${size} (torch interpolate antialias=True)`;
}
