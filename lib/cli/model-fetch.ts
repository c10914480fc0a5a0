// `npm run model:fetch [-- NAME] [--force]`: download the official TorchXRayVision release checkpoint
// for NAME (default densenet121-res224-all; also the release zoo: resnet50-res512-all, chestx-det-pspnet,
// xinario-view) and convert it into models/NAME/.
import { existsSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { HELP_OPTION, printedHelp, runCli, UsageError } from "@/lib/cli/cli-support";
import { CATALOG, catalogEntry, DEFAULT_MODEL_NAME } from "@/lib/model-builder/catalog";
import { convertRelease } from "@/lib/model-builder/convert";
import type { ReleaseForm } from "@/lib/model-builder/zoo/detect-form";
import { ZOO } from "@/lib/model-builder/zoo/zoo-catalog";
import { download, DownloadError, progressLine } from "@/lib/model-builder/download";

const CACHE_DIR = path.join("models", ".cache");
const USAGE = `usage: npm run model:fetch [-- NAME] [--force]

Downloads the release checkpoint (cached in ${CACHE_DIR}/) and converts it into models/NAME/.
  NAME     one of: ${[...Object.keys(CATALOG), ...Object.keys(ZOO)].join(", ")} (default ${DEFAULT_MODEL_NAME})
  --force  download again even when the checkpoint is cached`;

await runCli(USAGE, async () => {
  const { values, positionals } = parseArgs({
    options: { force: { type: "boolean", default: false }, ...HELP_OPTION },
    allowPositionals: true,
    strict: true,
  });
  if (printedHelp(values, USAGE)) return 0;
  if (positionals.length > 1) throw new UsageError("give one model name");
  const name = positionals[0] ?? DEFAULT_MODEL_NAME;
  const entry = catalogEntry(name) ?? (Object.hasOwn(ZOO, name) ? ZOO[name] : undefined);
  if (!entry) throw new UsageError(`unknown model "${name}"`);

  const file = path.join(CACHE_DIR, path.basename(new URL(entry.url).pathname));
  if (values.force || !existsSync(file)) {
    process.stderr.write(`downloading ${entry.url}\n`);
    const tty = process.stderr.isTTY;
    let lastShown = -1;
    const { sha256, bytes } = await download(entry.url, file, {
      onProgress: (p) => {
        if (tty) process.stderr.write(`\r${progressLine(p)}`);
        else {
          // Not a terminal (CI logs): one line per 10%.
          const step = p.total ? Math.floor((10 * p.received) / p.total) : Math.floor(p.received / 5e6);
          if (step !== lastShown) {
            process.stderr.write(`${progressLine(p)}\n`);
            lastShown = step;
          }
        }
      },
    }).catch((err: unknown) => {
      if (tty) process.stderr.write("\n");
      if (!(err instanceof DownloadError)) throw err;
      throw new DownloadError(
        `${err.message}\n  offline? put the file at ${file} and run this again, or convert a local copy with ` +
          "`npm run model:convert`, or use the untrained demo model: `npm run model:demo`",
      );
    });
    if (tty) process.stderr.write("\n");
    process.stderr.write(`downloaded ${(bytes / 1e6).toFixed(1)} MB, sha256 ${sha256}\n`);
  } else {
    process.stderr.write(`using cached ${file} (--force to download again)\n`);
  }

  const outDir = path.join("models", name);
  const expectForm = Object.hasOwn(ZOO, name) ? (name as keyof typeof ZOO & ReleaseForm) : "densenet";
  const result = await convertRelease({ checkpoint: file, outDir, name, trained: true, sourceUrl: entry.url, expectForm });
  const m = result.manifest;
  process.stdout.write(
    `${name}: ${path.join(outDir, "model.onnx")} + model.json (trained: true, checkpoint sha256 ${m.checkpoint?.sha256})\n`,
  );
});
