// Switching the site's findings classifier: only to one that is installed (its manifest reads), stored
// in the settings table (the workers read it for every batch) and audited. Analyses already made keep
// the model that made them.
import "server-only";
import { AppError } from "@/lib/core/errors";
import { recordAudit } from "@/lib/audit/record";
import type { Principal } from "@/lib/auth/principal";
import { readManifest } from "@/lib/inference";
import { classifierChoice, classifierDirs, saveClassifier, storedClassifier, CLASSIFIER_TITLES, type ClassifierKind } from "@/lib/inference/classifier-choice";

// A type alias, not an interface: the route returns it as a plain JSON record.
export type ClassifierOption = {
  kind: ClassifierKind;
  title: string;
  /** The manifest's name and version, null when no model is installed there. */
  model: { name: string; version: string; trained: boolean } | null;
};
export type ClassifierSettingsView = { requested: ClassifierKind; serving: ClassifierKind; reason: string | null; options: ClassifierOption[] };

async function optionOf(kind: ClassifierKind, dir: string | null): Promise<ClassifierOption> {
  const manifest = dir ? await readManifest(dir).catch(() => null) : null;
  return { kind, title: CLASSIFIER_TITLES[kind], model: manifest ? { name: manifest.name, version: manifest.version, trained: manifest.trained } : null };
}

export async function classifierSettingsView(): Promise<ClassifierSettingsView> {
  const choice = await classifierChoice();
  const options = await Promise.all((Object.entries(choice.dirs) as [ClassifierKind, string | null][]).map(([k, d]) => optionOf(k, d)));
  return { requested: choice.requested, serving: choice.serving, reason: choice.reason, options };
}

export async function updateClassifier(args: { actor: Principal; classifier: ClassifierKind; headers?: Headers }): Promise<ClassifierSettingsView> {
  const option = await optionOf(args.classifier, classifierDirs()[args.classifier]);
  if (!option.model) {
    throw new AppError("unprocessable", `The ${option.title} classifier is not installed on this server.`, { subcode: "classifier_not_installed" });
  }
  const before = await storedClassifier();
  await saveClassifier(args.classifier);
  await recordAudit({
    actor: args.actor,
    action: "settings.classifier",
    targetType: "settings",
    targetId: "model.classifier",
    details: { from: before, to: args.classifier, model: `${option.model.name} v${option.model.version}` },
    headers: args.headers,
  });
  return classifierSettingsView();
}
