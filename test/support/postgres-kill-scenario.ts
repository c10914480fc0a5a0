// The driver-level fault scenario run by lib/db/postgres-driver.test.ts in a process of its own, so that
// an uncaught exception inside postgres.js ends this process and not the test runner. Prints one JSON
// line. Its own backends are found by application_name and terminated from a second pool.
import postgres from "postgres";
import { isDatabaseUnavailable } from "@/lib/db/errors";

const url = process.argv[2];
const scenario = process.argv[3];
const name = `kill_scenario_${process.pid}`;
const admin = postgres(url, { max: 1, onnotice: () => {} });
const sql = postgres(url, { max: 4, onnotice: () => {}, connection: { application_name: name } });
const terminateOurs = async () =>
  (await admin`select pg_terminate_backend(pid) from pg_stat_activity where application_name = ${name}`).length;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const code = (e: unknown) => String((e as { code?: unknown }).code ?? (e as Error).message);
// A query that never settles is a failure too; none may take longer than this.
function settled<T>(p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error("hung"), { code: "HUNG" })), 15_000);
  });
  return Promise.race([p, hung]).finally(() => clearTimeout(timer));
}

async function killedTransaction() {
  // The transaction's second statement is running when its backend is terminated; begin() then sends
  // its rollback on the closed connection.
  const tx = sql
    .begin(async (t) => {
      await t`select 1`;
      await t`select pg_sleep(3)`;
    })
    .then(
      () => "committed",
      (e: unknown) => (isDatabaseUnavailable(e) ? "unavailable" : code(e)),
    );
  await sleep(500);
  const killed = await terminateOurs();
  const transaction = await settled(tx);
  await sleep(100);
  // Every pooled connection again, the one that was killed among them.
  const after = await Promise.all([1, 2, 3, 4].map((i) => settled(sql`select ${i}::int as v`).then((r) => r[0].v === i, code)));
  return { killed, transaction, after };
}

async function underLoad() {
  const outcomes: Record<string, number> = {};
  const count = (k: string) => (outcomes[k] = (outcomes[k] ?? 0) + 1);
  let n = 0;
  const until = Date.now() + 3000;
  const client = async () => {
    while (Date.now() < until) {
      const i = n++;
      try {
        // Each answer is checked against its own query: a reply handed to the wrong caller fails here.
        const ok =
          i % 2
            ? (await settled(sql.begin(async (t) => [(await t`select ${i}::int as v, pg_sleep(0.005)`)[0].v, (await t`select ${-i}::int as v`)[0].v]))).join() === `${i},${-i}`
            : (await settled(sql`select ${i}::int as v`))[0].v === i;
        count(ok ? "ok" : "wrong answer");
      } catch (e) {
        count(isDatabaseUnavailable(e) ? "unavailable" : code(e));
      }
    }
  };
  let killed = 0;
  const killer = (async () => {
    while (Date.now() < until) {
      await sleep(200);
      killed += await terminateOurs();
    }
  })();
  await Promise.all([killer, ...Array.from({ length: 16 }, client)]);
  await sleep(300);
  const after = await Promise.all([1, 2, 3, 4, 5, 6, 7, 8].map((i) => settled(sql`select ${i}::int as v`).then((r) => r[0].v === i, code)));
  return { killed, outcomes, after };
}

const result = scenario === "load" ? await underLoad() : await killedTransaction();
await settled(sql.end({ timeout: 5 }));
await admin.end();
process.stdout.write(`${JSON.stringify(result)}\n`);
