// Test-only child process for the decode-memory test: decodes (and renders) the given files all at
// once, as concurrent uploads would, then reports each outcome and the process's peak resident memory.
import fs from "node:fs";
import { decodeImage } from "@/lib/imaging/decode";
import { renderDisplayImages } from "@/lib/imaging/display";
import { preprocessForModel } from "@/lib/imaging/preprocess";
import { closeCodecPool } from "@/lib/imaging/dicom/codec-pool";

export interface MemoryRunResult {
  outcomes: { file: string; ok: boolean; code?: string; message?: string }[];
  maxRssBytes: number;
  baselineRssBytes: number;
}

async function main(files: string[]) {
  const baselineRssBytes = process.memoryUsage().rss;
  const outcomes = await Promise.all(
    files.map(async (file) => {
      try {
        const decoded = await decodeImage(fs.readFileSync(file), { qualityGates: "warn" });
        preprocessForModel(decoded);
        await renderDisplayImages(decoded);
        return { file, ok: true };
      } catch (e) {
        const { code, message } = e as { code?: string; message?: string };
        return { file, ok: false, code, message };
      }
    }),
  );
  await closeCodecPool();
  const result: MemoryRunResult = { outcomes, maxRssBytes: process.resourceUsage().maxRSS * 1024, baselineRssBytes };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(2);
  },
);
