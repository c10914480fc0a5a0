// Integration on the real PostgreSQL: a listener receives what other connections notify, and when its
// connection is killed (as a database restart or a proxy would) it comes back by itself, says so
// (`onListening`, so its owner can look up what it missed) and receives again.
import postgres from "postgres";
import { afterAll, describe, expect, it } from "vitest";
import { env } from "@/lib/env";
import { listenOnPostgres } from "./listen";

const admin = postgres(env.DATABASE_URL!, { max: 1, onnotice: () => {} });
afterAll(() => admin.end());

describe("listenOnPostgres", () => {
  it("receives notifications, and again after its connection was killed", async () => {
    const channel = `test_listen_${process.pid}`;
    const received: string[] = [];
    let listened = 0;
    const listener = listenOnPostgres(env.DATABASE_URL!, channel, {
      onNotify: (payload) => received.push(payload),
      onListening: () => listened++,
    });
    try {
      await expect.poll(() => listener.listening).toBe(true);
      await admin`select pg_notify(${channel}, 'first')`;
      await expect.poll(() => received).toEqual(["first"]);

      const [{ pid }] = await admin<{ pid: number }[]>`
        select pid from pg_stat_activity
        where datname = current_database() and application_name = 'cxr-listen' and query ilike ${`listen "${channel}"%`}`;
      await admin`select pg_terminate_backend(${pid})`;
      await expect.poll(() => listened, { timeout: 15_000 }).toBe(2);
      expect(listener.listening).toBe(true);

      await admin`select pg_notify(${channel}, 'second')`;
      await expect.poll(() => received).toEqual(["first", "second"]);
    } finally {
      await listener.close();
    }
    expect(listener.listening).toBe(false);
    expect(listener.closed).toBe(true);
  });
});
