// `npm run backup -- --out DIR`: the database and every stored file, with a manifest of sha256 hashes
// (lib/lifecycle/backup.ts). On the embedded database, stop the app first: it allows one process.
import { parseArgs } from "node:util";
import { closeDb } from "@/lib/db/client";
import { backup } from "@/lib/lifecycle/backup";
import { HELP_OPTION, printedHelp, runCli, UsageError } from "./cli-support";

const usage = "usage: npm run backup -- --out DIR   (DIR new or empty; the database and storage are those the settings name)";

await runCli(usage, async () => {
  const { values } = parseArgs({ options: { out: { type: "string" }, ...HELP_OPTION }, strict: true });
  if (printedHelp(values, usage)) return;
  if (!values.out) throw new UsageError("--out DIR is required.");
  try {
    const manifest = await backup(values.out);
    const bytes = manifest.files.reduce((n, f) => n + f.bytes, manifest.database.bytes);
    process.stdout.write(`${JSON.stringify({ out: values.out, database: manifest.database.kind, files: manifest.files.length, bytes })}\n`);
  } finally {
    await closeDb();
  }
});
