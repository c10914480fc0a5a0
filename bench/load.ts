import "server-only";
import { readFileSync } from "node:fs";

// On a shared 2-core machine another process compiling or testing can double a timing. The benchmark
// therefore times in short windows and notes, per window, how much CPU *other* processes used
// meanwhile (Linux /proc/stat minus this process's /proc/self/stat). Statistics use the windows where
// that stayed under 10%, and the report says how many were set aside. Where /proc is unavailable, or
// too few windows are clean, every window counts.

const CLEAN_FOREIGN_SHARE = 0.1;
const MIN_CLEAN_WINDOWS = 3;

interface Snapshot {
  busy: number;
  total: number;
  own: number;
}

function snapshot(): Snapshot | null {
  try {
    const cpu = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
    const idle = cpu[3] + (cpu[4] ?? 0);
    const total = cpu.reduce((a, b) => a + b, 0);
    const self = readFileSync("/proc/self/stat", "utf8").split(") ")[1].split(" ");
    return { busy: total - idle, total, own: Number(self[11]) + Number(self[12]) };
  } catch {
    return null;
  }
}

function foreignShare(before: Snapshot | null, after: Snapshot | null): number {
  if (!before || !after || after.total <= before.total) return 0;
  return Math.max(0, (after.busy - before.busy - (after.own - before.own)) / (after.total - before.total));
}

export interface WindowedTimes {
  /** Per-call milliseconds from the windows kept. */
  ms: number[];
  windows: number;
  /** Windows during which other processes used more than 10% of the CPU. */
  busy: number;
  /** True when too few windows were quiet, so the busy ones were kept too. */
  keptBusy: boolean;
}

/**
 * For each function, `windows` windows of `perWindow` calls, the functions taking turns window by
 * window so that outside load hits them alike. Windows are several calls long so that /proc/stat's
 * 10 ms ticks can measure the outside share.
 */
export async function timeInterleaved(
  windows: number,
  perWindow: number,
  fns: (() => Promise<unknown> | unknown)[],
): Promise<WindowedTimes[]> {
  const kept = fns.map(() => [] as number[]);
  const all = fns.map(() => [] as number[]);
  const busy = fns.map(() => 0);
  for (let w = 0; w < windows; w++) {
    for (const [k, fn] of fns.entries()) {
      const times: number[] = [];
      const before = snapshot();
      for (let i = 0; i < perWindow; i++) {
        const t = performance.now();
        await fn();
        times.push(performance.now() - t);
      }
      all[k].push(...times);
      if (foreignShare(before, snapshot()) < CLEAN_FOREIGN_SHARE) kept[k].push(...times);
      else busy[k]++;
    }
  }
  return fns.map((_, k) => {
    const keptBusy = windows - busy[k] < Math.min(MIN_CLEAN_WINDOWS, windows);
    return { ms: keptBusy ? all[k] : kept[k], windows, busy: busy[k], keptBusy };
  });
}

export async function timeInWindows(windows: number, perWindow: number, fn: () => Promise<unknown> | unknown): Promise<WindowedTimes> {
  return (await timeInterleaved(windows, perWindow, [fn]))[0];
}

/** Timed runs of `batch` copies of one input through a model, enough windows for about `images` images. */
export async function timeBatches(
  model: { run(inputs: Float32Array[]): Promise<unknown> },
  input: Float32Array,
  batch: number,
  images: number,
  window = 5,
): Promise<WindowedTimes> {
  const inputs = Array.from({ length: batch }, () => input);
  await model.run(inputs);
  const perWindow = Math.max(1, Math.ceil(window / batch));
  return timeInWindows(Math.max(3, Math.ceil(images / (batch * perWindow))), perWindow, () => model.run(inputs));
}
