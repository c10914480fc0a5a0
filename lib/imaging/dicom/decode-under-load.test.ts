// Valid JPEG 2000 films decode on a machine saturated by other work: the codec budget is charged in
// the processor time the codec thread used (thread-cpu.ts), so frames that wait for a core are not
// stopped as decode_timeout, while a codec that spins still is (codec-pool.test.ts). Bounded: six
// spinning processes for the length of one batch of decodes, killed by their pids afterwards; the
// figures printed are for the reader, never asserted.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { decodeImage } from "../index";
import { isImagingError } from "../errors";
import { writeDicom } from "@/test/support/imaging/dicom-writer";
import { encodeJpeg2000 } from "@/test/support/imaging/encoders";
import { fixturesPresent, readFixture, SKIP_NOTE } from "@/test/support/imaging/fixtures";
import { greySamples16, TS } from "@/test/support/imaging/seeds";
import { threadCpuMs } from "./thread-cpu";

const SPINNERS = 6;
let spinners: ChildProcess[] = [];

function saturate(): void {
  spinners = Array.from({ length: SPINNERS }, () => spawn(process.execPath, ["-e", "for (;;) {}"], { stdio: "ignore" }));
}
afterEach(() => {
  for (const s of spinners) if (s.exitCode === null && s.signalCode === null) s.kill("SIGKILL");
  spinners = [];
});

if (!fixturesPresent) console.warn(`[imaging decode-under-load.test] fixture film ${SKIP_NOTE}`);

async function films(): Promise<Buffer[]> {
  const n = 2000;
  const generated = await Promise.all(
    [0, 1].map(async (k) => {
      const px = Uint16Array.from(greySamples16(n, n, 12), (v) => (v + k * 97) % 4096);
      return writeDicom({ rows: n, columns: n, bitsStored: 12, transferSyntax: TS.j2kLossless, pixels: { fragments: [await encodeJpeg2000(px, n, n, 12)] } });
    }),
  );
  return fixturesPresent ? [readFixture("dicom", "dx-12bit-jpeg2000.dcm"), ...generated] : generated;
}

const outcome = (p: Promise<unknown>) =>
  p.then(
    () => "decoded",
    (e: unknown) => (isImagingError(e) ? e.code : Promise.reject(e)),
  );

describe("codec budgets in processor time", () => {
  it("reads a thread's processor time from /proc as Node's own counter does", () => {
    const tid = Number(fs.readlinkSync("/proc/thread-self").split("/").pop());
    const node = () => {
      const u = process.threadCpuUsage();
      return (u.user + u.system) / 1000;
    };
    const [proc0, node0] = [threadCpuMs(tid)!, node()];
    // Busy until 150 ms of processor time were used, however long a loaded machine takes to give them.
    for (const until = Date.now() + 20_000; node() - node0 < 150 && Date.now() < until; ) Math.sqrt(Math.random());
    const [procUsed, nodeUsed] = [threadCpuMs(tid)! - proc0, node() - node0];
    expect(nodeUsed).toBeGreaterThanOrEqual(150);
    // /proc counts in 10 ms ticks.
    expect(Math.abs(procUsed - nodeUsed)).toBeLessThanOrEqual(30);
  });

  it("valid JPEG 2000 films decode while the machine is saturated", async () => {
    const files = await films();
    // Alone first: the pool learns what frames of these sizes cost here.
    for (const f of files) expect(await outcome(decodeImage(f))).toBe("decoded");
    saturate();
    const started = performance.now();
    const results = await Promise.all([...files, ...files, ...files].map((f) => outcome(decodeImage(f))));
    console.log(`[decode-under-load] ${results.length} decodes beside ${SPINNERS} spinning processes in ${Math.round(performance.now() - started)} ms`);
    expect(results).toEqual(Array(results.length).fill("decoded"));
  }, 300_000);
});
