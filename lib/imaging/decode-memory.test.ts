// Decode amplification: a 233 KB 16-bit PNG claiming 10950 x 10950 pixels took 1.8 GB and 12.5 s. Now
// it is refused from its header, and every decode and rendering reserves its memory in one bounded
// pool, so concurrent large images wait rather than add up. Peak resident memory is measured in a
// child process (the test runner's own memory would hide it) and must stay under 1.5 GB.
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import zlib from "node:zlib";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeImage } from "./index";
import { withDecodeMemory, decodeMemoryState } from "./decode-memory";
import type { MemoryRunResult } from "@/test/support/imaging/memory-runner";

const GB = 1024 ** 3;
const RSS_LIMIT = 1.5 * GB;
const here = path.dirname(new URL(import.meta.url).pathname);
let dir: string;

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, "latin1");
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

/** A 16-bit grey PNG of side x side black pixels, deflated row by row (never held whole). */
async function bombPng(side: number): Promise<Buffer> {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(side, 0);
  ihdr.writeUInt32BE(side, 4);
  ihdr.set([16, 0, 0, 0, 0], 8);
  const deflate = zlib.createDeflate({ level: 9 });
  const parts: Buffer[] = [];
  deflate.on("data", (c: Buffer) => parts.push(c));
  const done = new Promise((r) => deflate.on("end", r));
  const row = Buffer.alloc(1 + side * 2);
  for (let y = 0; y < side; y++) deflate.write(row);
  deflate.end();
  await done;
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk("IHDR", ihdr), chunk("IDAT", Buffer.concat(parts)), chunk("IEND", Buffer.alloc(0))]);
}

async function runChild(files: string[]): Promise<MemoryRunResult> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ["--conditions=react-server", "--import", "tsx", path.resolve(here, "../../test/support/imaging/memory-runner.ts"), ...files],
    { cwd: path.resolve(here, "../.."), maxBuffer: 1 << 20, timeout: 180_000 },
  );
  return JSON.parse(stdout.trim().split("\n").pop()!) as MemoryRunResult;
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "cxr-decode-memory-"));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("decode memory budget", () => {
  it("refuses the 233 KB 16-bit 10950 x 10950 PNG from its header, twice at once, in bounded memory", async () => {
    const bomb = await bombPng(10950);
    expect(bomb.length).toBeLessThan(300_000);
    const file = path.join(dir, "bomb.png");
    fs.writeFileSync(file, bomb);
    await expect(decodeImage(bomb)).rejects.toMatchObject({ code: "decompression_bomb", httpStatus: 413 });
    const r = await runChild([file, file]);
    console.log(`bomb x2: peak RSS ${(r.maxRssBytes / 2 ** 20).toFixed(0)} MB (baseline ${(r.baselineRssBytes / 2 ** 20).toFixed(0)} MB)`);
    expect(r.outcomes.map((o) => o.code)).toEqual(["decompression_bomb", "decompression_bomb"]);
    expect(r.outcomes[0].message).toMatch(/10950 x 10950 pixels \(120 megapixels\); at most 40 megapixels/);
    expect(r.maxRssBytes).toBeLessThan(RSS_LIMIT);
  }, 240_000);

  it("decodes and renders the largest accepted images concurrently under the same limit", async () => {
    const side = 6000; // 36 MP, just under the 40 MP bound
    const px = new Uint16Array(side * side);
    for (let y = 0; y < side; y++) for (let x = 0; x < side; x++) px[y * side + x] = ((x * 7 + y * 13) & 0xfff) * 16;
    const file = path.join(dir, "large.png");
    await sharp(px, { raw: { width: side, height: side, channels: 1 } }).toColourspace("grey16").png({ compressionLevel: 1 }).toFile(file);
    const r = await runChild([file, file, file]);
    console.log(`36 MP 16-bit PNG x3: peak RSS ${(r.maxRssBytes / 2 ** 20).toFixed(0)} MB (baseline ${(r.baselineRssBytes / 2 ** 20).toFixed(0)} MB)`);
    expect(r.outcomes.map((o) => o.ok)).toEqual([true, true, true]);
    expect(r.maxRssBytes).toBeLessThan(RSS_LIMIT);
  }, 240_000);

  it("admits reservations first come, first served, within the budget, and refuses one larger than it", async () => {
    const cap = decodeMemoryState().capacityBytes;
    const order: string[] = [];
    let releaseFirst!: () => void;
    const first = withDecodeMemory(cap * 0.7, "first", () => new Promise<void>((r) => (releaseFirst = () => (order.push("first"), r()))));
    const second = withDecodeMemory(cap * 0.7, "second", async () => void order.push("second"));
    await new Promise((r) => setTimeout(r, 20));
    expect(decodeMemoryState().waiting).toBe(1);
    releaseFirst();
    await Promise.all([first, second]);
    expect(order).toEqual(["first", "second"]);
    expect(decodeMemoryState().inUseBytes).toBe(0);
    await expect(withDecodeMemory(cap + 1, "huge image", async () => 1)).rejects.toMatchObject({ code: "decompression_bomb" });
  });
});
