// Preloaded into the e2e server on an embedded run (NODE_OPTIONS=--import, playwright.config.ts): the
// embedded database admits one process, the server, so the specs' few direct reads and writes (a
// database dump for the privacy check, a share's expiry moved into the past) are answered by the
// server's own PGlite connection on a Unix socket in the run's data directory. Test tooling only; plain
// JavaScript because Node loads it before tsx is registered.
import fs from "node:fs";
import http from "node:http";

const socket = process.env.E2E_SQL_SOCKET;
// Only in the server process itself, not in `npm start`'s launcher or the preparation step before it.
if (socket && /[/\\]lib[/\\]cli[/\\]serve\.ts$/.test(process.argv[1] ?? "")) {
  fs.rmSync(socket, { force: true });
  const server = http.createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (d) => (body += d));
    req.on("end", async () => {
      const reply = (status, value) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(value));
      };
      // The app opens its database on first use and keeps the handle on globalThis (lib/db/client.ts).
      const pglite = globalThis.cxrDb?.pglite;
      if (!pglite) return reply(503, { error: "the server has not opened the embedded database yet" });
      try {
        const { sql, params } = JSON.parse(body);
        const result = await pglite.query(sql, params ?? []);
        reply(200, { rows: result.rows });
      } catch (error) {
        reply(400, { error: String(error?.message ?? error) });
      }
    });
  });
  server.listen(socket);
  server.unref();
}
