// `npm run storage:check`: records whose files are missing or altered, and files no record points to.
// Prints the report as JSON; exits 1 when anything is wrong (for a cron job or a monitoring check).
import { parseArgs } from "node:util";
import { closeDb } from "@/lib/db/client";
import { checkStorage, storageReportIsClean } from "@/lib/lifecycle/storage-check";
import { HELP_OPTION, printedHelp, runCli } from "./cli-support";

const usage = "usage: npm run storage:check";

await runCli(usage, async () => {
  const { values } = parseArgs({ options: { ...HELP_OPTION }, strict: true });
  if (printedHelp(values, usage)) return;
  try {
    const report = await checkStorage();
    process.stdout.write(`${JSON.stringify(report, null, 1)}\n`);
    return storageReportIsClean(report) ? 0 : 1;
  } finally {
    await closeDb();
  }
});
