// `npm run restore -- --from DIR`: a backup into the empty database and storage the settings name
// (DATABASE_URL or DATA_DIR; STORAGE_DIR or STORAGE_URL). Run `npm run db:migrate` afterwards when the
// app is newer than the backup.
import { parseArgs } from "node:util";
import { restore } from "@/lib/lifecycle/restore";
import { HELP_OPTION, printedHelp, runCli, UsageError } from "./cli-support";

const usage = "usage: npm run restore -- --from DIR   (into an empty database and storage)";

await runCli(usage, async () => {
  const { values } = parseArgs({ options: { from: { type: "string" }, ...HELP_OPTION }, strict: true });
  if (printedHelp(values, usage)) return;
  if (!values.from) throw new UsageError("--from DIR is required.");
  const { files } = await restore(values.from);
  process.stdout.write(`${JSON.stringify({ from: values.from, files })}\n`);
});
