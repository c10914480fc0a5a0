// `npm run test:e2e` runs this before Playwright: the end-to-end tests run the built app with the
// untrained demo model (and the anatomy spec the converted fixture PSPNet), so these must exist and the
// build must be newer than the sources.
// Run as `tsx --conditions=react-server e2e/support/prepare.ts`.
import fs from "node:fs";
import path from "node:path";
import { buildState, runProductionBuild } from "@/lib/cli/build-state";
import { DEMO_MODEL_DIR } from "@/lib/env";
import { buildDemoModel } from "@/lib/model-builder/demo-model";
import { zooModelDir, zooPresent } from "../../test/support/zoo-models";

if (!fs.existsSync(path.join(DEMO_MODEL_DIR, "model.json"))) {
  process.stdout.write(`e2e: building the untrained demo model in ${DEMO_MODEL_DIR} ...\n`);
  await buildDemoModel(DEMO_MODEL_DIR);
}

// e2e/anatomy.spec.ts segments a film with the fixture PSPNet (CI has no trained weights): converted
// once here, kept in the test cache between runs (test/support/zoo-models.ts).
if (zooPresent) {
  process.stdout.write("e2e: converting the fixture anatomy model (cached after the first run) ...\n");
  process.stdout.write(`e2e: anatomy model in ${await zooModelDir("pspnet")}\n`);
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
