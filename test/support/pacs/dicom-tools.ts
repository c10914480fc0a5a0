// Test and tooling support: DCMTK's dsrdump and dicom3tools' dciodvfy on written objects, the
// independent readers the results are checked with.
import { execFile } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export async function hasDicomTools(): Promise<boolean> {
  const found = await Promise.all(["dsrdump", "dciodvfy"].map((bin) => run("sh", ["-c", `command -v ${bin}`]).then(() => true, () => false)));
  return found.every(Boolean);
}

async function withFile<T>(bytes: Uint8Array, fn: (file: string) => Promise<T>): Promise<T> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "cxr-dicom-"));
  try {
    const file = path.join(dir, "object.dcm");
    await fs.writeFile(file, bytes);
    return await fn(file);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

export function dsrdump(bytes: Uint8Array): Promise<string> {
  return withFile(bytes, async (file) => (await run("dsrdump", ["+Pl", file], { maxBuffer: 16 << 20 })).stdout);
}

/** dciodvfy's lines that are errors (it reports on stderr and exits 0 either way). */
export function dciodvfyErrors(bytes: Uint8Array): Promise<string[]> {
  return withFile(bytes, async (file) => {
    const { stdout, stderr } = await run("dciodvfy", [file], { maxBuffer: 16 << 20 }).catch((e: { stdout: string; stderr: string }) => e);
    return `${stdout}\n${stderr}`.split("\n").filter((l) => /^Error/.test(l));
  });
}

/** label -> calibrated score, as dsrdump prints the SR's measurement groups. */
export function scoresFromDsrdump(dump: string): Map<string, number> {
  const scores = new Map<string, number>();
  let label: string | null = null;
  for (const line of dump.split("\n")) {
    const finding = line.match(/CODE:\(,,"Finding"\)=\([^,]*,99CXRASSIST,"([^"]+)"\)/);
    if (finding) label = finding[1];
    const score = line.match(/NUM:\(,,"Calibrated score"\)="([-0-9.e]+)"/);
    if (score && label) scores.set(label, Number(score[1]));
  }
  return scores;
}
