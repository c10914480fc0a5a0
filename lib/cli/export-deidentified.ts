// `npm run export:deidentified -- --out DIR (--validation-set ID | --from YYYY-MM-DD --to YYYY-MM-DD)`:
// a de-identified research export (lib/lifecycle/export), audited as done from the command line.
import { parseArgs } from "node:util";
import { closeDb } from "@/lib/db/client";
import { exportDeidentified, type ExportScope } from "@/lib/lifecycle/export/export-set";
import { HELP_OPTION, printedHelp, runCli, UsageError } from "./cli-support";

const usage = "usage: npm run export:deidentified -- --out DIR (--validation-set ID | --from YYYY-MM-DD --to YYYY-MM-DD)";

await runCli(usage, async () => {
  const { values } = parseArgs({
    options: { out: { type: "string" }, "validation-set": { type: "string" }, from: { type: "string" }, to: { type: "string" }, ...HELP_OPTION },
    strict: true,
  });
  if (printedHelp(values, usage)) return;
  if (!values.out) throw new UsageError("--out DIR is required.");
  let scope: ExportScope;
  if (values["validation-set"]) scope = { validationSetId: values["validation-set"] };
  else if (values.from && values.to) scope = { from: values.from, to: values.to };
  else throw new UsageError("Name what to export: --validation-set ID, or --from and --to.");
  try {
    process.stdout.write(`${JSON.stringify(await exportDeidentified(null, scope, values.out))}\n`);
  } finally {
    await closeDb();
  }
});
