import "server-only";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import { db } from "@/lib/db/client";
import { settings } from "@/lib/db/schema";
import { env } from "@/lib/env";
import { servingModelDir } from "./precision-choice";

// Which findings classifier analyses the site's films: the DenseNet-121 at 224 pixels (MODEL_DIR, with
// its int8 choice) or the ResNet-50 at 512 (MODEL_RESNET_DIR). An admin's choice lives in the settings
// table and is read for every batch, so the workers of every process follow it without a restart; the
// analysis records the manifest's name and version of the model that actually ran.

export const CLASSIFIER_SETTINGS_KEY = "model.classifier";
export const ClassifierKind = z.enum(["densenet121", "resnet50"]);
export type ClassifierKind = z.infer<typeof ClassifierKind>;
export const CLASSIFIER_TITLES: Record<ClassifierKind, string> = {
  densenet121: "DenseNet-121, 224 × 224",
  resnet50: "ResNet-50, 512 × 512",
};

const StoredValue = z.object({ classifier: ClassifierKind });

export interface ClassifierChoice {
  /** The admin's choice (densenet121 until one is saved). */
  requested: ClassifierKind;
  serving: ClassifierKind;
  dir: string;
  /** The directory of each classifier, null where none is configured. */
  dirs: Record<ClassifierKind, string | null>;
  /** Why the DenseNet serves although the ResNet-50 was chosen. */
  reason: string | null;
}

export function classifierDirs(): Record<ClassifierKind, string | null> {
  return { densenet121: servingModelDir(), resnet50: env.MODEL_RESNET_DIR ? path.resolve(env.MODEL_RESNET_DIR) : null };
}

export function decideClassifier(requested: ClassifierKind, dirs: Record<ClassifierKind, string | null>): ClassifierChoice {
  const chosen = dirs[requested];
  if (chosen) return { requested, serving: requested, dir: chosen, dirs, reason: null };
  return { requested, serving: "densenet121", dir: dirs.densenet121!, dirs, reason: "the ResNet-50 was chosen but MODEL_RESNET_DIR is not set" };
}

/** The stored choice; a missing or hand-broken row means the DenseNet (the default classifier). */
export async function storedClassifier(): Promise<ClassifierKind> {
  const [row] = await db.select().from(settings).where(eq(settings.key, CLASSIFIER_SETTINGS_KEY)).limit(1);
  const parsed = StoredValue.safeParse(row?.value);
  return parsed.success ? parsed.data.classifier : "densenet121";
}

export async function saveClassifier(classifier: ClassifierKind): Promise<void> {
  const value = { classifier };
  await db
    .insert(settings)
    .values({ key: CLASSIFIER_SETTINGS_KEY, value })
    .onConflictDoUpdate({ target: settings.key, set: { value, updatedAt: sql`now()` } });
}

/** The classifier the next analysis uses (one settings read). */
export async function classifierChoice(): Promise<ClassifierChoice> {
  return decideClassifier(await storedClassifier(), classifierDirs());
}

/** The chosen classifier's directory; the default one when the settings cannot be read (the database is down). */
export async function classifierDir(): Promise<string> {
  return classifierChoice().then(
    (c) => c.dir,
    () => servingModelDir(),
  );
}
