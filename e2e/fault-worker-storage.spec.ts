// FAULT TEST (no browser), beside fault-database-kills.spec.ts: the built app as a deployment of its
// own (lib/testing/app-cluster.ts: one web process, two `npm run worker` processes, a fresh database)
// takes a stream of uploads through the v1 API while a worker process is SIGKILLed twice in the middle
// of a batch (each time a replacement starts, as a service manager would start one) and the storage is
// unwritable and unreadable for 20 s. What must hold: no answer is a 500; a refusal is a 503 with
// Retry-After, and the client's retry with the same Idempotency-Key is accepted; afterwards every
// upload answered 2xx is one analysis, `completed` exactly once (18 findings, one CAM), none `failed`,
// and none charged an attempt (worker deaths and outages are not the film's failures).
// Bounded: fixed counts, a deadline on every wait, no timing assertions.
import fs from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { syntheticFilmPng } from "../test/support/imaging/synthetic-film";
import { askThroughFaults as ask, expectAllAnalysesFinish, expectOnlyWellFormedRefusals } from "../test/support/fault-checks";
import { startAppCluster, type AppCluster, type WorkerProcess } from "../test/support/app-cluster";
import { uploadWithRetries, type UploadAnswer } from "../test/support/upload-with-retries";

const UPLOADS = 120;
const CONCURRENCY = 8;
const OUTAGE_MS = 20_000;
// Uploads are answered within this, and the analyses finished within FINISH_MS of the first upload.
const UPLOAD_MS = 240_000;
const FINISH_MS = 360_000;
test.describe.configure({ timeout: FINISH_MS + 60_000 });

interface UploadRecord {
  fileName: string;
  final: number;
  id: string | null;
  answers: UploadAnswer[];
}

/**
 * The storage's kinds of files made unreachable: each directory replaced by a plain file, so every
 * read and write under it fails (ENOTDIR) as on a volume gone read-only or away. (The tests run as
 * root, for whom a read-only mode changes nothing.) Returns the restore.
 */
function storageOutage(storage: string): () => void {
  const dirs = ["original", "display", "thumbnail"].map((d) => path.join(storage, d));
  for (const dir of dirs) {
    fs.mkdirSync(dir, { recursive: true });
    fs.renameSync(dir, `${dir}.away`);
    fs.writeFileSync(dir, "storage unavailable");
  }
  return () => {
    for (const dir of dirs) {
      fs.rmSync(dir, { force: true });
      fs.renameSync(`${dir}.away`, dir);
    }
  };
}

let cluster: AppCluster;
let key: string;
let films: Buffer[];

test.beforeAll(async () => {
  const seedBase = Math.floor(Math.random() * 1e6);
  films = await Promise.all(Array.from({ length: UPLOADS }, (_, i) => syntheticFilmPng(seedBase + i, 256)));
  cluster = await startAppCluster({
    web: 1,
    workers: 2,
    workersInWeb: false,
    databasePrefix: "cxr_fault_ws",
    // A short lease, so a killed worker's jobs go to another within seconds; retries spaced 1 s up to
    // 8 s, so the 20 s outage is ridden out by the backoff well within the test's budget.
    env: { QUEUE_LEASE_SECONDS: "10", QUEUE_RETRY_SECONDS: "1", QUEUE_RETRY_MAX_SECONDS: "8" },
  });
  key = cluster.createApiKey({ email: cluster.createUsers([["radiologist", "FaultWS"]])[0].email, scopes: ["analyses:read", "analyses:write"] });
});

test.afterAll(async () => {
  await cluster?.stop(5_000);
});

test("fault: uploads while a worker is SIGKILLed twice and the storage is away for 20 s: every 2xx upload completed exactly once, none failed", async () => {
  const [web] = cluster.web;
  const started = Date.now();
  const deadline = started + UPLOAD_MS;
  let answered = 0;
  let uploading = true;

  // Two kills, each of a worker holding a claimed batch, after a quarter and after half of the uploads
  // were answered; a replacement starts after each.
  const live: WorkerProcess[] = [...cluster.workers];
  const kills: { workerId: string; held: number }[] = [];
  const killer = (async () => {
    for (const share of [0.25, 0.5]) {
      while (uploading && answered < UPLOADS * share) await new Promise((r) => setTimeout(r, 100));
      for (let tries = 0; tries < 600; tries++) {
        const rows = await ask(
          () => cluster.sql<{ worker_id: string; held: number }[]>`
            select worker_id, count(*)::int as held from analyses where status = 'processing' and worker_id is not null group by worker_id`,
        );
        const victim = live.find((w) => rows.some((r) => r.worker_id === w.workerId && r.held > 0));
        if (victim) {
          victim.child.kill("SIGKILL");
          kills.push({ workerId: victim.workerId, held: rows.find((r) => r.worker_id === victim.workerId)!.held });
          live.splice(live.indexOf(victim), 1);
          live.push(await cluster.addWorker());
          break;
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  })();

  // The storage goes away for 20 s once a third of the uploads were answered.
  let outageAt = 0;
  const outage = (async () => {
    while (uploading && answered < UPLOADS / 3) await new Promise((r) => setTimeout(r, 100));
    const restore = storageOutage(cluster.env.STORAGE_DIR);
    outageAt = answered;
    try {
      await new Promise((r) => setTimeout(r, OUTAGE_MS));
    } finally {
      restore();
    }
  })();

  const records: UploadRecord[] = new Array(UPLOADS);
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let i = next++; i < UPLOADS; i = next++) {
        const fileName = `fault-ws-${i}.png`;
        const r = await uploadWithRetries({
          baseUrl: web.baseUrl,
          key,
          film: films[i],
          fileName,
          deadline,
          retryStatuses: [503],
          retryNetworkErrors: true,
          maxRetryWaitSeconds: 3,
          attemptTimeoutMs: 30_000,
        });
        const ok = r.final !== null && r.final.status >= 200 && r.final.status < 300;
        records[i] = { fileName, final: r.final?.status ?? 0, id: ok ? (JSON.parse(r.final!.body) as { id: string }).id : null, answers: r.answers };
        answered++;
      }
    }),
  );
  uploading = false;
  await outage;
  await killer;

  const answers = records.flatMap((r) => r.answers);
  console.log(
    `FAULT_TEST_WS ${JSON.stringify({
      uploads: UPLOADS,
      accepted: records.filter((r) => r.id).length,
      answers: Object.fromEntries([...new Set(answers.map((a) => a.status))].map((s) => [s, answers.filter((a) => a.status === s).length])),
      kills,
      outageStartedAfterAnswers: outageAt,
      uploadSeconds: (Date.now() - started) / 1000,
    })}`,
  );

  expectOnlyWellFormedRefusals(answers);
  expect(answers.filter((a) => a.status === 503).length, "the storage outage refused uploads while it lasted").toBeGreaterThan(0);
  for (const r of records) expect(r.final, `upload ${r.fileName}`).toBeGreaterThanOrEqual(200);
  for (const r of records) expect(r.final, `upload ${r.fileName}`).toBeLessThan(300);
  expect(kills, "two workers were SIGKILLed holding a claimed batch").toHaveLength(2);
  expect(outageAt, "the outage started while uploads were being answered").toBeGreaterThan(0);

  // Everything accepted finishes: the backoff rides out the outage, the replacements take the dead
  // workers' jobs once their lease lapses.
  const acceptedIds = records.map((r) => r.id!);
  await expectAllAnalysesFinish(cluster.sql, started + FINISH_MS);
  console.log(`FAULT_TEST_WS all finished after ${(Date.now() - started) / 1000} s`);

  const rows = await cluster.sql<{ id: string; status: string; attempts: number; error_code: string | null; findings: number; cams: number }[]>`
    select a.id, a.status, a.attempts, a.error_code,
           (select count(*)::int from findings f where f.analysis_id = a.id) as findings,
           (select count(*)::int from analysis_cams c where c.analysis_id = a.id) as cams
    from analyses a`;
  expect(rows.map((r) => r.id).sort()).toEqual([...acceptedIds].sort());
  // Completed exactly once, never failed, and no attempt charged to a film for our side's trouble.
  const wrong = rows.filter((r) => r.status !== "completed" || r.findings !== 18 || r.cams !== 1 || r.attempts !== 0);
  expect(wrong).toEqual([]);
  const storage = cluster.env.STORAGE_DIR;
  const files = await cluster.sql<{ sha: string }[]>`select distinct image_sha256 as sha from analyses`;
  const absent = files.flatMap(({ sha }) =>
    [`original/${sha}`, `display/${sha}.png`, `thumbnail/${sha}.png`].filter((f) => !fs.existsSync(path.join(storage, f))),
  );
  expect(absent).toEqual([]);
  expect(web.child.exitCode).toBeNull();
});
