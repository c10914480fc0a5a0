// Regenerates the JPEG test files beside this script and their reference digests (jpeg-extended.json).
// Not run by CI: it needs DCMTK (dcmcjpeg/dcmdjpeg, IJG-based) and libjpeg-turbo's cjpeg/djpeg
// (Debian: apt-get install dcmtk libjpeg-turbo-progs). Run: npx tsx test/support/imaging/data/make-jpeg-extended.ts
// The pixels are synthetic (this project's own generator), so the files carry no patient data.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import dicomParser from "dicom-parser";
import { syntheticPixels, writeDicom } from "../dicom-writer";

const here = path.dirname(fileURLToPath(import.meta.url));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cxr-jpeg-data-"));
const sha256 = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");
const run = (cmd: string, args: string[]) => execFileSync(cmd, args, { stdio: ["ignore", "ignore", "inherit"] });

function pixelData(file: string): Uint8Array {
  const ds = dicomParser.parseDicom(new Uint8Array(fs.readFileSync(file)));
  const el = ds.elements.x7fe00010;
  return ds.byteArray.subarray(el.dataOffset, el.dataOffset + el.length);
}

const entries = [];

// 12-bit lossy JPEG (process 4) in DICOM, by DCMTK; the reference is DCMTK's own decode.
for (const { name, width, height, quality, noise } of [
  { name: "jpeg12-gradient", width: 80, height: 96, quality: 90, noise: 0 },
  { name: "jpeg12-noisy", width: 203, height: 157, quality: 75, noise: 0.07 },
]) {
  const pixels = Uint16Array.from(syntheticPixels(height, width, 4095, { noise }));
  const src = path.join(tmp, `${name}.src.dcm`);
  fs.writeFileSync(src, writeDicom({ rows: height, columns: width, bitsAllocated: 16, bitsStored: 12, pixels }));
  const out = path.join(here, `${name}.dcm`);
  run("dcmcjpeg", ["+ee", "+q", String(quality), src, out]);
  const decoded = path.join(tmp, `${name}.ijg.dcm`);
  run("dcmdjpeg", [out, decoded]);
  entries.push({ file: `${name}.dcm`, kind: "dicom", width, height, precision: 12, ijgSha256: sha256(pixelData(decoded)) });
}

// 8-bit greyscale JPEG with a restart marker every 5 blocks, by libjpeg-turbo; the reference is djpeg
// with the accurate integer IDCT, written as 16-bit little-endian samples like the decoder's output.
{
  const [name, width, height] = ["jpeg8-restart", 203, 157] as const;
  const pixels = syntheticPixels(height, width, 255, { noise: 0.08 });
  const pgm = path.join(tmp, `${name}.pgm`);
  fs.writeFileSync(pgm, Buffer.concat([Buffer.from(`P5\n${width} ${height}\n255\n`), Buffer.from(Uint8Array.from(pixels))]));
  const out = path.join(here, `${name}.jpg`);
  run("cjpeg", ["-grayscale", "-quality", "85", "-restart", "5B", "-outfile", out, pgm]);
  const decodedPgm = path.join(tmp, `${name}.ijg.pgm`);
  run("djpeg", ["-dct", "int", "-pnm", "-outfile", decodedPgm, out]);
  const bytes = fs.readFileSync(decodedPgm);
  const samples8 = bytes.subarray(bytes.length - width * height);
  entries.push({ file: `${name}.jpg`, kind: "jpeg", width, height, precision: 8, ijgSha256: sha256(new Uint8Array(Uint16Array.from(samples8).buffer)) });
}

fs.writeFileSync(path.join(here, "jpeg-extended.json"), `${JSON.stringify(entries, null, 2)}\n`);
fs.rmSync(tmp, { recursive: true, force: true });
console.log(entries);
