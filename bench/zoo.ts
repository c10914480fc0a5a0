import "server-only";
import { runAnatomy, runView } from "@/lib/anatomy/run-models";
import type { DecodedImage } from "@/lib/imaging";
import { loadZooModel } from "@/lib/inference/zoo-engine";
import type { SessionLogger } from "@/lib/inference/session";

// `npm run bench`'s anatomy (PSPNet) and view model figures: load time, one film end to end (resize to
// the model's size, inference, masks and CTR) over a few runs, and the process's peak resident set while
// the model is held. A PSPNet pass costs ~0.5 TFLOP, so a handful of runs is enough for a median.

export interface ZooBench {
  name: string;
  task: "anatomy" | "view";
  trained: boolean;
  inputSize: number;
  onnxMb: number;
  loadMs: number;
  runs: number;
  filmMs: { p50: number; min: number; max: number };
  peakRssMb: number;
}

export async function benchZooModel(dir: string, task: "anatomy" | "view", film: DecodedImage, runs: number, log: SessionLogger): Promise<ZooBench> {
  let peak = process.memoryUsage().rss;
  const sample = () => (peak = Math.max(peak, process.memoryUsage().rss));
  const timer = setInterval(sample, 50);
  try {
    const t0 = performance.now();
    const model = await loadZooModel(dir, { task, log });
    const loadMs = performance.now() - t0;
    const once = () => (task === "anatomy" ? runAnatomy(model, film) : runView(model, film));
    await once(); // warm-up: the first run plans memory
    const ms: number[] = [];
    for (let i = 0; i < runs; i++) {
      const s = performance.now();
      await once();
      ms.push(performance.now() - s);
      sample();
    }
    await model.close();
    ms.sort((a, b) => a - b);
    const r1 = (x: number) => Math.round(x * 10) / 10;
    return {
      name: model.manifest.name,
      task,
      trained: model.manifest.trained,
      inputSize: model.manifest.input.size,
      onnxMb: r1(model.manifest.onnx.bytes / 1e6),
      loadMs: Math.round(loadMs),
      runs,
      filmMs: { p50: r1(ms[Math.floor((ms.length - 1) / 2)]), min: r1(ms[0]), max: r1(ms[ms.length - 1]) },
      peakRssMb: Math.round(peak / 2 ** 20),
    };
  } finally {
    clearInterval(timer);
  }
}
