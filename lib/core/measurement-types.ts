// Measurements a radiologist draws on a film, as stored with the review: endpoints in image pixels of
// the analysed film. Millimetres are derived from the film's pixel spacing when shown, never stored, so
// a measurement cannot disagree with the spacing it was taken on.
import { z } from "zod";

const coordinate = z.number().finite().min(-100_000).max(100_000);
export const Point = z.object({ x: coordinate, y: coordinate });
export type Point = z.infer<typeof Point>;

const Segment = z.tuple([Point, Point]);

export const Measurement = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("distance"), line: Segment }),
  /** Cardiothoracic ratio: widest cardiac diameter over widest inner thoracic diameter. */
  z.object({ kind: z.literal("ctr"), cardiac: Segment, thoracic: Segment }),
]);
export type Measurement = z.infer<typeof Measurement>;

export const Measurements = z.array(Measurement).max(50);
