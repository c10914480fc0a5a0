// FAULT TEST (no browser): the built app as a deployment of its own (test/support/app-cluster.ts: one web
// process, two `npm run worker` processes, a fresh database) takes 300 uploads of new films at
// concurrency 16 through the v1 API while every database connection of the deployment is killed again
// and again (pg_terminate_backend) and one worker process is SIGKILLed in the middle of a batch; the
// other takes over its jobs once their lease lapses. What must hold: no answer is a 500; a refusal is a
// 503 with Retry-After, and the client's retry with the same Idempotency-Key is accepted; afterwards
// every accepted upload is one analysis row, completed once, with 18 findings and its original, display
// image and thumbnail stored.
// Bounded: fixed counts, a deadline on every wait, no timing assertions.
import fs from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import postgres from "postgres";
import { syntheticFilmPng } from "../test/support/imaging/synthetic-film";
import { askThroughFaults as ask, expectAllAnalysesFinish, expectOnlyWellFormedRefusals } from "../test/support/fault-checks";
import { startAppCluster, type AppCluster } from "../test/support/app-cluster";
import { testDatabaseAdminUrl } from "../test/support/fresh-database";
import { uploadWithRetries, type UploadAnswer } from "../test/support/upload-with-retries";

interface UploadRecord {
  fileName: string;
  /** The last answer's status (0: none, only network errors). */
  final: number;
  /** The analysis id once accepted. */
  id: string | null;
  answers: UploadAnswer[];
  networkErrors: number;
}

/**
 * An API client riding out the kills: a 503 or a dropped connection is sent again with the same
 * Idempotency-Key, waiting what Retry-After says (at most 3 s, so the test stays bounded).
 */
async function faultUpload(baseUrl: string, key: string, film: Buffer, fileName: string, deadline: number): Promise<UploadRecord> {
  const r = await uploadWithRetries({
    baseUrl,
    key,
    film,
    fileName,
    deadline,
    retryStatuses: [503],
    retryNetworkErrors: true,
    maxRetryWaitSeconds: 3,
    attemptTimeoutMs: 30_000,
  });
  const accepted = r.final !== null && r.final.status >= 200 && r.final.status < 300;
  return {
    fileName,
    final: r.final?.status ?? 0,
    id: accepted ? (JSON.parse(r.final!.body) as { id: string }).id : null,
    answers: r.answers,
    networkErrors: r.networkErrors,
  };
}

const UPLOADS = 300;
const CONCURRENCY = 16;
// Kill rounds are spread over the uploads by progress, not by the clock, so that on a fast machine as
// on a slow one all of them hit while uploads are being accepted.
const KILL_ROUNDS = 8;

// Uploads are answered within this, and the analyses finished within FINISH_MS of the first upload.
const UPLOAD_MS = 150_000;
const FINISH_MS = 200_000;
// The set-up (a deployment of its own) and the run have a budget each (hooks get their own timeout).
// Alone on the 2-core machine a run takes 1-1.5 minutes; beside the other e2e specs, up to about 2.5.
test.describe.configure({ timeout: FINISH_MS + 30_000 });

let cluster: AppCluster;
let admin: postgres.Sql;
let key: string;
let films: Buffer[];

test.beforeAll(async () => {
  const seedBase = Math.floor(Math.random() * 1e6);
  films = await Promise.all(Array.from({ length: UPLOADS }, (_, i) => syntheticFilmPng(seedBase + i, 256)));
  cluster = await startAppCluster({
    web: 1,
    workers: 2,
    // The web process only takes uploads: two processes running the model are plenty for two cores.
    workersInWeb: false,
    databasePrefix: "cxr_fault",
    // A short lease, so the killed worker's jobs go to another one within seconds rather than half a minute.
    env: { QUEUE_LEASE_SECONDS: "10" },
  });
  key = cluster.createApiKey({ email: cluster.createUsers([["radiologist", "Fault"]])[0].email, scopes: ["analyses:read", "analyses:write"] });
  // Kills come from a connection to another database, so the killer is never its own victim.
  admin = postgres(testDatabaseAdminUrl(), { max: 1, onnotice: () => {} });
});

test.afterAll(async () => {
  await admin?.end({ timeout: 5 });
  await cluster?.stop(5_000);
});

test("fault: 300 uploads while the database connections are killed and a worker is SIGKILLed: no 500, every accepted analysis completed once", async () => {
  const [web] = cluster.web;
  const deadline = Date.now() + UPLOAD_MS;

  // Every connection of the deployment to its database: the app's pools and the queue engine's,
  // killed each time another ninth of the uploads has been answered.
  let killed = 0;
  let rounds = 0;
  let answered = 0;
  let uploading = true;
  const killer = (async () => {
    while (rounds < KILL_ROUNDS && uploading) {
      if (answered >= ((rounds + 1) * UPLOADS) / (KILL_ROUNDS + 1)) {
        const rows = await admin`select pg_terminate_backend(pid) from pg_stat_activity where datname = ${cluster.databaseName} and pid <> pg_backend_pid()`;
        killed += rows.length;
        rounds++;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  })();

  // One worker is killed mid-run (a quarter of the uploads analysed) while it holds a claimed batch.
  const [doomed, survivor] = cluster.workers;
  let heldWhenKilled = 0;
  let completedWhenKilled = 0;
  const workerKiller = (async () => {
    while (Date.now() < deadline) {
      const [row] = await ask(
        () => cluster.sql<{ held: number; completed: number }[]>`
          select count(*) filter (where worker_id = ${doomed.workerId} and status = 'processing')::int as held,
                 count(*) filter (where status = 'completed')::int as completed
          from analyses`,
      );
      if (row.held > 0 && row.completed >= UPLOADS / 4) {
        [heldWhenKilled, completedWhenKilled] = [row.held, row.completed];
        break;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    doomed.child.kill("SIGKILL");
  })();

  const started = Date.now();
  const records: UploadRecord[] = new Array(UPLOADS);
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let i = next++; i < UPLOADS; i = next++) {
        records[i] = await faultUpload(web.baseUrl, key, films[i], `fault-${i}.png`, deadline);
        answered++;
      }
    }),
  );
  const uploadSeconds = (Date.now() - started) / 1000;
  uploading = false;
  await killer;
  await workerKiller;

  const answers = records.flatMap((r) => r.answers);
  const summary = {
    uploads: UPLOADS,
    accepted: records.filter((r) => r.id).length,
    answers: Object.fromEntries([...new Set(answers.map((a) => a.status))].map((s) => [s, answers.filter((a) => a.status === s).length])),
    networkErrors: records.reduce((n, r) => n + r.networkErrors, 0),
    killRounds: rounds,
    backendsKilled: killed,
    workerHeldWhenKilled: heldWhenKilled,
    completedWhenKilled,
    uploadSeconds,
  };
  // Figures for the reader (never asserted): how hard the run was hit.
  console.log(`FAULT_TEST ${JSON.stringify(summary)}`);

  expectOnlyWellFormedRefusals(answers);
  // Every upload ended accepted (2xx): the same Idempotency-Key was retried through the refusals.
  for (const r of records) expect(r.final, `upload ${r.fileName}`).toBeGreaterThanOrEqual(200);
  for (const r of records) expect(r.final, `upload ${r.fileName}`).toBeLessThan(300);
  expect(rounds, "every kill round hit while uploads were being answered").toBe(KILL_ROUNDS);
  expect(killed, "connections were killed").toBeGreaterThan(0);
  expect(doomed.child.signalCode).toBe("SIGKILL");
  expect(heldWhenKilled, "the killed worker held a claimed batch").toBeGreaterThan(0);

  // All accepted work finishes: the surviving worker takes the dead one's jobs once their lease lapses.
  const acceptedIds = records.map((r) => r.id!);
  await expectAllAnalysesFinish(cluster.sql, started + FINISH_MS);
  console.log(`FAULT_TEST all finished after ${(Date.now() - started) / 1000} s`);

  const rows = await cluster.sql<{ id: string; status: string; idempotency_key: string; image_sha256: string; findings: number; cams: number; job_state: string | null }[]>`
    select a.id, a.status, a.idempotency_key, a.image_sha256,
           (select count(*)::int from findings f where f.analysis_id = a.id) as findings,
           (select count(*)::int from analysis_cams c where c.analysis_id = a.id) as cams,
           (select j.state::text from pgboss.job j where j.name = 'analysis' and j.id = a.id) as job_state
    from analyses a`;
  // One row per accepted upload, no more: a retried upload returned the first analysis.
  expect(rows.map((r) => r.id).sort()).toEqual([...acceptedIds].sort());
  expect(new Set(rows.map((r) => r.idempotency_key)).size).toBe(UPLOADS);
  // Completed once: one result (18 findings, one CAM) and its job completed.
  const wrong = rows.filter((r) => r.status !== "completed" || r.findings !== 18 || r.cams !== 1 || r.job_state !== "completed");
  expect(wrong).toEqual([]);
  // The files of every analysis are in the shared storage.
  const storage = cluster.env.STORAGE_DIR;
  const missing = rows.flatMap((r) =>
    [`original/${r.image_sha256}`, `display/${r.image_sha256}.png`, `thumbnail/${r.image_sha256}.png`].filter((f) => !fs.existsSync(path.join(storage, f))),
  );
  expect(missing).toEqual([]);
  // The app rode it out: the web process and the surviving worker are still running.
  expect(web.child.exitCode).toBeNull();
  expect(survivor.child.exitCode).toBeNull();
});
