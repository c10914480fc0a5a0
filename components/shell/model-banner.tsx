import type { InstalledModel } from "@/lib/ops/installed-model";

/** Shown on every signed-in page whenever the scores cannot be read as a diagnosis. */
export function ModelBanner({ model, admin = false }: { model: InstalledModel; admin?: boolean }) {
  if (!model.installed) {
    return (
      <div role="alert" data-testid="model-missing-banner" className="border-b border-red-900 bg-red-950 px-4 py-2 text-sm text-red-100">
        <strong>No model is installed.</strong> Uploads cannot be analysed until an administrator runs{" "}
        <code className="rounded bg-red-900/60 px-1">npm run setup</code>.
      </div>
    );
  }
  if (model.trained === false) {
    return (
      <div role="alert" data-testid="untrained-banner" data-shell-notice className="border-b border-amber-800 bg-amber-950 px-4 py-1.5 text-sm text-amber-100">
        <strong>UNTRAINED MODEL — not for diagnosis.</strong> The installed model ({model.name}) has random weights: its
        scores and heatmaps mean nothing medically.
        {admin && (
          <>
            {" "}
            Install the trained release with <code className="rounded bg-amber-900/60 px-1">npm run model:fetch</code>.
          </>
        )}
      </div>
    );
  }
  return null;
}
