// `npm run bench:anatomy -- --anatomy-model DIR [--films a.png,b.png] [--model DIR]`: the worker's cost
// with the anatomy job on. One web process and one worker process (the real app, built), the worker
// holding the classifier and the PSPNet; films go through the v1 API, and each film's segmentation is
// followed to `completed`. Prints the worker's peak resident set (VmHWM, with its image threads) and
// the seconds from a film's findings to its anatomy (queue wait + decode + PSPNet + masks + store).
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { peakRssMb, uploadAndWait } from "@/bench/app";
import { startAppCluster } from "@/test/support/app-cluster";

const { values: args } = parseArgs({
  options: {
    "anatomy-model": { type: "string" },
    model: { type: "string" },
    films: { type: "string", default: "00027426_000.png,tb0005.png" },
    "fixtures-dir": { type: "string", default: "../shared/fixtures/xrv/images" },
    "database-admin-url": { type: "string" },
  },
});

async function main(): Promise<void> {
  if (!args["anatomy-model"]) throw new Error("--anatomy-model DIR is required (npm run model:fetch -- chestx-det-pspnet, or a converted fixture)");
  const cluster = await startAppCluster({
    web: 1,
    workers: 1,
    databaseAdminUrl: args["database-admin-url"],
    databasePrefix: "cxr_bench_anatomy",
    echoStderr: true,
    modelDir: args.model,
    env: { ANATOMY_MODEL_DIR: path.resolve(args["anatomy-model"]) },
  });
  try {
    const [user] = cluster.createUsers([["radiologist", "Bench"]]);
    const key = cluster.createApiKey({ email: user.email, name: "bench", scopes: ["analyses:read", "analyses:write"] });
    const base = cluster.web[0].baseUrl;
    const results: { film: string; findingsS: number; anatomyS: number; ratio: number | null }[] = [];
    for (const film of args.films!.split(",")) {
      const bytes = fs.readFileSync(path.resolve(args["fixtures-dir"]!, film));
      const t0 = performance.now();
      const up = await uploadAndWait(base, key, bytes, film, Date.now() + 300_000);
      if (up.kind !== "completed" || !up.id) throw new Error(`${film}: the analysis did not complete (${up.kind})`);
      const findingsAt = performance.now();
      let body: { status: string; ctr: { ratio: number | null } | null } = { status: "queued", ctr: null };
      while (body.status === "queued" && performance.now() - findingsAt < 900_000) {
        await new Promise((r) => setTimeout(r, 1000));
        const res = await fetch(`${base}/api/v1/analyses/${up.id}/anatomy`, { headers: { authorization: `Bearer ${key}` } });
        if (res.ok) body = (await res.json()) as typeof body;
      }
      if (body.status !== "completed") throw new Error(`${film}: the anatomy ended ${body.status}`);
      results.push({ film, findingsS: (findingsAt - t0) / 1000, anatomyS: (performance.now() - findingsAt) / 1000, ratio: body.ctr?.ratio ?? null });
    }
    const worker = peakRssMb(cluster.workers[0].pid);
    const web = peakRssMb(cluster.web[0].pid);
    for (const r of results) {
      process.stdout.write(`${r.film}: findings ${r.findingsS.toFixed(1)} s, then anatomy ${r.anatomyS.toFixed(1)} s (CTR ${r.ratio === null ? "null" : r.ratio.toFixed(3)})\n`);
    }
    process.stdout.write(`peak RSS: worker (classifier + PSPNet resident) ${worker} MB, web ${web} MB\n`);
    process.stdout.write(`${JSON.stringify({ films: results, peakRssMb: { worker, web } })}\n`);
  } finally {
    await cluster.stop();
  }
}

await main();
