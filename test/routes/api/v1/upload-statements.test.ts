// Integration: what one accepted upload costs the database, counted on the wire in front of a real
// PostgreSQL (test/support/pg-wire-counter.ts): statements the server executed and writes the web
// process made to it, for a warm process (its first requests prepare statements and fill caches).
// Under load every socket write is CPU of the web process, so both are bounded here.
import { afterAll, vi } from "vitest";

const { dropDb, counter } = await vi.hoisted(async () => {
  process.env.MODEL_DIR = `${process.env.DATA_DIR}/model-v1-statements`;
  process.env.STORAGE_DIR = `${process.env.DATA_DIR}/storage-v1-statements`;
  process.env.RATE_LIMIT_PER_KEY = "1000";
  process.env.RATE_LIMIT_PER_IP = "1000";
  const dropDb = await (await import("@/test/support/isolated-database")).useIsolatedDatabase();
  const counter = await (await import("@/test/support/pg-wire-counter")).startWireCounter(process.env.DATABASE_URL!);
  process.env.DATABASE_URL = counter.url;
  return { dropDb, counter };
});
afterAll(async () => {
  await dropDb();
  await counter.close();
});

import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import * as route from "@/app/api/v1/analyses/route";
import { db } from "@/lib/db/client";
import { analyses, auditEvents } from "@/lib/db/schema";
import { syntheticFilmPng } from "@/test/support/imaging/synthetic-film";
import { stopQueueEngine } from "@/lib/queue/boss";
import { call, createTestKey, createTestUser } from "@/test/support/principals";
import { Analysis } from "@/lib/api/v1/schemas";

/** The app's own connections (postgres.js); pg-boss's pool (its maintenance) is named cxr-queue. */
const appConnections = (name: string) => name !== "cxr-queue";

describe("POST /api/v1/analyses, counted on the wire", () => {
  let key: string;
  let seed = 7000;
  const upload = async (idempotencyKey: string) => {
    const f = new FormData();
    f.append("file", new File([new Uint8Array(await syntheticFilmPng(seed++, 128))], `film-${seed}.png`));
    return call(route.POST, "/api/v1/analyses", {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "idempotency-key": idempotencyKey },
      body: f,
    });
  };

  beforeAll(async () => {
    const rad = await createTestUser("radiologist");
    key = (await createTestKey(rad.user, ["analyses:read", "analyses:write"])).key;
    // Warm: the key's last use written, statements prepared on the pool's connections, the queue engine started.
    for (let i = 0; i < 12; i++) expect((await upload(`warm-${i}`)).status).toBe(202);
  });
  afterAll(() => stopQueueEngine(5_000));

  it("accepts an upload in a bounded number of statements and writes, and still answers the same", async () => {
    const runs = 6;
    counter.reset();
    const ids: string[] = [];
    for (let i = 0; i < runs; i++) {
      const res = await upload(`counted-${i}`);
      expect(res.status).toBe(202);
      ids.push(Analysis.parse(await res.json()).id);
    }
    const c = counter.counts(appConnections);
    const kinds = Object.entries(Object.groupBy(c.sql, (q) => q.slice(0, 60))).map(([q, all]) => `${all!.length / runs} × ${q}`);
    console.log(`per upload: ${c.statements / runs} statements, ${c.writes / runs} writes, ${c.parses / runs} parses\n${kinds.join("\n")}`);
    for (const id of ids) {
      const [row] = await db.select({ status: analyses.status }).from(analyses).where(eq(analyses.id, id));
      expect(row.status).toBe("queued");
      expect(await db.select().from(auditEvents).where(eq(auditEvents.targetId, id))).toHaveLength(1);
    }
    // Key lookup, rate limit, begin + (image, study, analysis, job, audit) sent together + commit, the
    // queue places of the answer: 10 statements in 6 writes (before: 13 in 24, every parameterised
    // statement in two round trips, the transaction's one after another, the answer read back).
    expect(c.statements / runs).toBeLessThanOrEqual(10);
    expect(c.writes / runs).toBeLessThanOrEqual(6);
    expect(c.parses, "a warm process re-plans nothing").toBe(0);
    // The key's "last used" was written by the warm-up: not again within the minute.
    expect(c.sql.filter((q) => q.startsWith('update "api_keys"'))).toEqual([]);
  });

  it("answers retries with the same Idempotency-Key, at once and afterwards, with the first analysis: one row, one job, one audit event", async () => {
    const film = await syntheticFilmPng(seed++, 128);
    const send = () => {
      const f = new FormData();
      f.append("file", new File([new Uint8Array(film)], "retried.png"));
      return call(route.POST, "/api/v1/analyses", { method: "POST", headers: { authorization: `Bearer ${key}`, "idempotency-key": "retried-1" }, body: f });
    };
    const answers = [...(await Promise.all([send(), send(), send()])), await send()];
    const ids = new Set<string>();
    for (const res of answers) {
      expect(res.status).toBe(202);
      ids.add(Analysis.parse(await res.json()).id);
    }
    expect(ids.size).toBe(1);
    const [id] = ids;
    const rows = await db.select({ id: analyses.id }).from(analyses).where(eq(analyses.idempotencyKey, "retried-1"));
    expect(rows).toEqual([{ id }]);
    expect(await db.select().from(auditEvents).where(eq(auditEvents.targetId, id))).toHaveLength(1);
    const jobs = (await db.execute(sql`select count(*)::int as n from pgboss.job where id = ${id}`)) as unknown as { n: number }[];
    expect(jobs[0].n).toBe(1);
  });
});
