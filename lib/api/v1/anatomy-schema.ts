// The anatomy answer of the v1 API (GET /api/v1/analyses/{id}/anatomy), registered with the other v1
// schemas so the OpenAPI document describes it.
import { z } from "zod";
import { v1Registry } from "./schemas";

const span = z
  .object({
    row: z.number().describe("Film row of the line."),
    left: z.number().describe("Film column where the line starts (left pixel edge)."),
    right: z.number().describe("Film column where the line ends (right pixel edge)."),
    widthPx: z.number(),
    widthMm: z.number().nullable().describe("Width in mm when the DICOM states Pixel Spacing or Imager Pixel Spacing; else null."),
  })
  .nullable();

export const Anatomy = z.object({
  analysisId: z.string(),
  status: z
    .enum(["completed", "queued", "failed", "skipped", "not_requested"])
    .describe("`queued`: the segmentation runs after the findings (poll again later); `skipped`: not a frontal film; `not_requested`: anatomy is off on this server."),
  reason: z.string().nullable(),
  measuredBy: z.literal("software").describe("Everything here is measured by software from the anatomy model's masks, not by a reader."),
  model: z.object({ name: z.string(), version: z.string(), trained: z.boolean().describe("`false`: an UNTRAINED demo model, not for diagnosis.") }).nullable(),
  film: z.object({ width: z.number().int(), height: z.number().int() }).describe("The film's size in pixels: outlines and lines are in its coordinates."),
  ctr: z
    .object({
      ratio: z.number().nullable().describe("Cardiac width / thoracic width; null when the heart or the lungs were not found."),
      heartWidth: z.number().int(),
      thoracicWidth: z.number().int(),
      heartRow: z.number().int(),
      thoracicRow: z.number().int(),
    })
    .nullable()
    .describe("In the 512 x 512 model frame (the film's centre square crop)."),
  lines: z.object({ heart: span, thorax: span, pixelSpacing: z.enum(["pixel", "imager"]).nullable() }).nullable().describe("The two measured widths as horizontal lines on the film."),
  projection: z.enum(["AP", "PA"]).nullable(),
  apNote: z.string().nullable().describe("On AP films: the ratio is overestimated on AP."),
  findingZones: z.record(z.string(), z.string().nullable()).describe("Each positive finding's heatmap peak by lung zone, e.g. `right lower zone`."),
  structures: z
    .array(
      z.object({
        name: z.string().describe("One of the 14 targets: Left Clavicle, Right Clavicle, Left Scapula, Right Scapula, Left Lung, Right Lung, Left Hilus Pulmonis, Right Hilus Pulmonis, Heart, Aorta, Facies Diaphragmatica, Mediastinum, Weasand, Spine."),
        pixels: z.number().int().describe("Set pixels of its mask (model frame)."),
        outlines: z.array(z.array(z.number())).describe("Closed polygons, each flat [x0, y0, x1, y1, ...] in film pixels, largest first."),
      }),
    )
    .describe("In the model's target order; empty unless `completed`."),
  masks: z
    .object({ encoding: z.literal("packbits"), size: z.number().int(), targets: z.number().int(), base64: z.string() })
    .optional()
    .describe("With `masks=packed`: targets x size x size bits, row-major, most significant bit first (numpy packbits order), base64."),
});
v1Registry.add(Anatomy, { id: "Anatomy", description: "Anatomical outlines and the cardiothoracic ratio measured by software." });

export const AnatomyQuery = z.object({
  masks: z.enum(["packed"]).optional().describe("`packed`: include the 14 masks as packed bits (448 KiB before base64)."),
});
