// Test-only child process for the fuzz test. It runs the cases one by one and reports each start
// and end over IPC, so the parent can kill it and name the case if anything hangs the event loop
// (a synchronous hang cannot be raced with a timer inside the same thread).
import fs from "node:fs";
import * as dicomParserNs from "dicom-parser";
import { closeCodecPool } from "@/lib/imaging/dicom/codec-pool";
import { mutateCase, runCase, type FuzzSeed } from "./fuzz";
import { fixturePath, fixturesPresent } from "./fixtures";
import { generatedSeeds } from "./seeds";

export interface FuzzConfig {
  seed: number;
  generatedCases: number;
  fixtureCases: number;
  codecTimeoutMs: number;
}

export type FuzzMessage =
  | { type: "seeds"; names: string[] }
  | { type: "start"; index: number; seedName: string; ops: string[]; length: number }
  | { type: "end"; index: number; ms: number; outcome: string; unexpected?: string }
  | { type: "done" };

const dicomParser = ((dicomParserNs as unknown as { default?: typeof dicomParserNs }).default ?? dicomParserNs) as typeof dicomParserNs;

/** Header bytes and the start of the first pixel-data fragment are where parsers make decisions. */
function hotRanges(bytes: Uint8Array): [number, number][] {
  const hot: [number, number][] = [[0, Math.min(bytes.length, 1024)]];
  try {
    const ds = dicomParser.parseDicom(bytes);
    const px = ds.elements.x7fe00010;
    if (px?.fragments?.[0]) hot.push([px.fragments[0].position - 16, px.fragments[0].position + 400]);
    else if (px) hot.push([px.dataOffset - 16, px.dataOffset + 64]);
  } catch {
    // not DICOM: the first KB it is
  }
  return hot;
}

function fixtureSeeds(): FuzzSeed[] {
  if (!fixturesPresent) return [];
  const files = [
    ...fs.readdirSync(fixturePath("dicom")).map((f) => fixturePath("dicom", f)),
    fixturePath("xrv", "images", "siim-jpeg-baseline.dcm"),
    fixturePath("xrv", "images", "00000001_000.png"),
    fixturePath("xrv", "images", "16747_3_1.jpg"),
  ];
  return files.map((f) => {
    const bytes = fs.readFileSync(f);
    return { name: f.split("/").slice(-2).join("/"), bytes, hot: hotRanges(bytes) };
  });
}

async function main(config: FuzzConfig): Promise<void> {
  const send = (m: FuzzMessage) => new Promise<void>((resolve) => process.send!(m, () => resolve()));
  const generated: FuzzSeed[] = (await generatedSeeds()).map((s) => ({ name: s.name, bytes: s.bytes, hot: hotRanges(s.bytes) }));
  const fixtures = fixtureSeeds();
  await send({ type: "seeds", names: [...generated, ...fixtures].map((s) => s.name) });

  const plan: { seeds: FuzzSeed[]; count: number; salt: number }[] = [
    { seeds: generated, count: config.generatedCases, salt: 0 },
    { seeds: fixtures, count: fixtures.length > 0 ? config.fixtureCases : 0, salt: 0x5eed },
  ];
  let index = 0;
  for (const part of plan) {
    for (let i = 0; i < part.count; i++, index++) {
      const c = mutateCase(part.seeds, config.seed ^ part.salt, i);
      await send({ type: "start", index, seedName: c.seed.name, ops: c.ops, length: c.bytes.length });
      const t0 = performance.now();
      const outcome = await runCase(c.bytes, config.codecTimeoutMs);
      const ms = performance.now() - t0;
      await send({
        type: "end",
        index,
        ms,
        outcome: outcome.kind === "refused" ? outcome.code : outcome.kind,
        ...(outcome.kind === "unexpected" ? { unexpected: outcome.error } : {}),
      });
    }
  }
  await closeCodecPool();
  await send({ type: "done" });
}

const config = JSON.parse(process.argv[2] ?? "{}") as FuzzConfig;
main(config).then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(2);
  },
);
