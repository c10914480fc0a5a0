// Test-only: the release-zoo fixture checkpoints (../shared/fixtures/zoo) converted once and kept in a
// cache directory keyed by the checkpoint's sha256 and the converter's own source, so the 273 MB PSPNet
// is converted once (about 15-30 s and 1.5 GB on a 2-core box) however many test files use it, and again
// only when the checkpoint or the converter changes. Concurrent test processes take turns through a lock
// directory instead of converting the same checkpoint side by side. The conversion runs as
// `npm run model:convert` in a child process: it is long synchronous work that would otherwise stall the
// test runner's own messages.
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import { mkdir, readdir, readFile, rename, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { fixturePath } from "@/test/support/imaging/fixtures";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const CACHE = path.join(os.tmpdir(), "cxr-zoo-models");

export const ZOO_CHECKPOINTS = {
  pspnet: ["pspnet", "pspnet_chestxray_best_model_4-seed1.pth.gz"],
  resnet50: ["resnet50", "pc-nih-rsna-siim-vin-resnet50-test512-e400-state-seed1.pt.gz"],
  view: ["view", "xinario_chestViewSplit_resnet-50-seed1.pt.gz"],
} as const;
export type ZooFixture = keyof typeof ZOO_CHECKPOINTS;

export const zooPresent = fs.existsSync(fixturePath("zoo", "pspnet", "reference.json"));

async function converterHash(): Promise<string> {
  const h = createHash("sha256");
  for (const dir of ["lib/model-builder/zoo", "lib/model-builder/onnx", "lib/model-builder/checkpoint"]) {
    for (const f of (await readdir(path.join(repoRoot, dir))).filter((n) => n.endsWith(".ts") && !n.endsWith(".test.ts")).sort()) {
      h.update(f).update(await readFile(path.join(repoRoot, dir, f)));
    }
  }
  for (const f of ["lib/model-builder/convert.ts", "lib/inference/zoo-manifest.ts", "lib/inference/manifest.ts"]) h.update(await readFile(path.join(repoRoot, f)));
  return h.digest("hex").slice(0, 16);
}

async function exists(p: string): Promise<boolean> {
  return stat(p).then(
    () => true,
    () => false,
  );
}

/** Directory of the converted fixture model (model.onnx + model.json), converting it on first use. */
export async function zooModelDir(which: ZooFixture): Promise<string> {
  const [folder, file] = ZOO_CHECKPOINTS[which];
  const checkpoint = fixturePath("zoo", folder, file);
  const ckptHash = createHash("sha256").update(await readFile(checkpoint)).digest("hex").slice(0, 16);
  const dir = path.join(CACHE, `${which}-${ckptHash}-${await converterHash()}`);
  if (await exists(path.join(dir, "model.json"))) return dir;
  await mkdir(CACHE, { recursive: true });
  const lock = `${dir}.lock`;
  for (;;) {
    try {
      await mkdir(lock);
      break;
    } catch {
      // Another process converts it; a lock older than 10 minutes belongs to a process that died.
      const age = await stat(lock).then((s) => Date.now() - s.mtimeMs, () => 0);
      if (age > 600_000) await rm(lock, { recursive: true, force: true });
      await new Promise((r) => setTimeout(r, 1000));
      if (await exists(path.join(dir, "model.json"))) return dir;
    }
  }
  try {
    if (await exists(path.join(dir, "model.json"))) return dir;
    const tmp = `${dir}.tmp-${process.pid}`;
    await promisify(execFile)(path.join(repoRoot, "node_modules/.bin/tsx"), ["--conditions=react-server", "lib/cli/model-convert.ts", "--checkpoint", checkpoint, "--out", tmp, "--untrained"], {
      cwd: repoRoot,
    });
    await rename(tmp, dir);
    return dir;
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}

export function readZooReference<T>(which: ZooFixture): T {
  return JSON.parse(fs.readFileSync(fixturePath("zoo", ZOO_CHECKPOINTS[which][0], "reference.json"), "utf8")) as T;
}
