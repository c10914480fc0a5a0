// Direct reads and writes of the run's database, for the few checks the app has no route for (a
// share's expiry moved into the past, the privacy check's dump of every table). On PostgreSQL they go
// over a connection of their own; on the embedded database, which admits only the server, through the
// server's own connection (e2e/support/embedded-sql-bridge.mjs). Anything the app can show is read
// through the app instead.
import http from "node:http";
import postgres from "postgres";
import { e2eEnv } from "./e2e-env";

function bridged<T>(socketPath: string, text: string, params: unknown[]): Promise<T[]> {
  return new Promise((resolve, reject) => {
    const req = http.request({ socketPath, path: "/", method: "POST", headers: { "content-type": "application/json" } }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (d: string) => (body += d));
      res.on("end", () => {
        const parsed = JSON.parse(body) as { rows?: T[]; error?: string };
        if (res.statusCode === 200 && parsed.rows) resolve(parsed.rows);
        else reject(new Error(`embedded database (${res.statusCode}): ${parsed.error}`));
      });
    });
    req.on("error", reject);
    req.end(JSON.stringify({ sql: text, params }));
  });
}

/** One SQL statement with $1... parameters, on the run's database; returns its rows. */
export async function testSql<T = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> {
  const run = e2eEnv();
  if (run.database === "embedded") return bridged<T>(run.sqlSocket, text, params);
  const sql = postgres(run.databaseUrl!, { max: 1, onnotice: () => {} });
  try {
    return (await sql.unsafe(text, params as postgres.ParameterOrJSON<never>[])) as unknown as T[];
  } finally {
    await sql.end();
  }
}

/** Every row of every table outside the system schemas, as text, keyed by "schema.table". */
export async function databaseDump(): Promise<Map<string, string[]>> {
  const tables = await testSql<{ name: string }>(
    `select format('%I.%I', table_schema, table_name) as name from information_schema.tables
     where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema') order by 1`,
  );
  const dump = new Map<string, string[]>();
  for (const { name } of tables) {
    const rows = await testSql<{ row: string }>(`select t::text as row from ${name} t`);
    dump.set(name, rows.map((r) => r.row));
  }
  return dump;
}
