import { loadModel } from "@/lib/inference/engine";
import { decodeImage, preprocessForModel } from "@/lib/imaging";
import { syntheticFilmPng } from "@/lib/imaging/testing/synthetic-film";
const dir = "models/densenet121-res224-all-demo";
const [threads, spin, batch, conc] = process.argv.slice(2).map(Number);
const quiet = { info() {}, warn() {} } as any;
const models = await Promise.all(Array.from({ length: conc }, () => loadModel(dir, { intraOpThreads: threads, allowSpinning: !!spin, log: quiet } as any)));
const png = await syntheticFilmPng(1, 512);
const img = await decodeImage(png as any, { fileName: "x.png", qualityGates: "warn" } as any);
const x = preprocessForModel(img as any);
const inputs = Array.from({ length: batch }, () => x);
for (const m of models) await m.run(inputs);
const t0 = performance.now(); const c0 = process.cpuUsage();
let n = 0;
while (performance.now() - t0 < 12000) { await Promise.all(models.map((m) => m.run(inputs))); n += batch * conc; }
const wall = performance.now() - t0; const c = process.cpuUsage(c0);
console.log(JSON.stringify({ threads, spin, batch, conc, imgPerS: +(n / wall * 1000).toFixed(1), coreMsPerImg: +(((c.user + c.system) / 1000) / n).toFixed(1) }));
process.exit(0);
