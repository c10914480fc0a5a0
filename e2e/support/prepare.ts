// `npm run test:e2e` runs this before Playwright: the end-to-end tests run the built app with the
// untrained demo model (and the anatomy spec the converted fixture PSPNet), so these must exist and the
// build must be newer than the sources.
// Run as `tsx --conditions=react-server e2e/support/prepare.ts`.
import fs from "node:fs";
import path from "node:path";
import { buildState, runProductionBuild } from "@/lib/cli/build-state";
import { DEMO_MODEL_DIR } from "@/lib/env";
import { buildDemoModel } from "@/lib/model-builder/demo-model";
import { zooModelDir, zooPresent } from "@/test/support/zoo-models";

if (!fs.existsSync(path.join(DEMO_MODEL_DIR, "model.json"))) {
  process.stdout.write(`e2e: building the untrained demo model in ${DEMO_MODEL_DIR} ...\n`);
  await buildDemoModel(DEMO_MODEL_DIR);
}

// The release-zoo fixture checkpoints the specs serve (the PSPNet for e2e/anatomy.spec.ts, the 512-pixel
// classifier, the view model; CI has no trained weights), converted once into the test cache and reused by
// every later run until the checkpoint or converter changes (test/support/zoo-models.ts).
if (zooPresent) {
  for (const which of ["pspnet", "resnet50", "view"] as const) process.stdout.write(`e2e: fixture ${which} model in ${await zooModelDir(which)}\n`);
}

const state = buildState();
if (state === "fresh") {
  process.stdout.write("e2e: the production build is up to date\n");
} else {
  process.stdout.write(`e2e: the production build is ${state}; running npm run build ...\n`);
  if (!runProductionBuild()) {
    process.stderr.write("e2e: next build failed (see above)\n");
    process.exit(1);
  }
}
