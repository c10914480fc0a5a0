// `npm start`: serves the production build on PORT (default 3000), optionally bound with
// `-H/--hostname`. It is Next.js's own server (`next()` in this process) behind one addition: each
// request carries its socket's address, stamped so that route handlers can trust it
// (lib/api/client-ip.ts). `next start` cannot do this: it only fills in X-Forwarded-For when the
// client did not send one. A missing build or model gets a clear next step instead of a stack trace.
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { parseArgs } from "node:util";
import { PEER_ADDRESS_HEADER, peerAddressHeaderValue } from "@/lib/api/client-ip";
import { acquireEmbeddedDatabase, EmbeddedDatabaseBusyError } from "@/lib/db/embedded-lock";
import { env } from "@/lib/env";

if (!fs.existsSync(path.join(".next", "BUILD_ID"))) {
  process.stderr.write("No production build found. Run `npm run setup` first (it builds the app).\n");
  process.exit(1);
}
if (!fs.existsSync(path.join(env.MODEL_DIR, "model.json"))) {
  process.stderr.write(`warning: no model in ${env.MODEL_DIR}; uploads will fail until \`npm run setup\` installs one.\n`);
}

// On the embedded database this process holds the lock for the server, so a second `npm start` or a
// writing command on the same DATA_DIR is refused before it touches the files.
let lockToken: string | undefined;
if (!env.DATABASE_URL) {
  try {
    lockToken = acquireEmbeddedDatabase("npm start");
  } catch (error) {
    if (!(error instanceof EmbeddedDatabaseBusyError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}

const { values } = parseArgs({ options: { hostname: { type: "string", short: "H" } } });
// Read by the app's own copy of lib/env.ts once Next.js loads it: what `next start` sets (the production
// code paths) and the lock token, so that the server's database client counts as this lock's holder.
Object.assign(process.env, { NODE_ENV: "production", ...(lockToken ? { EMBEDDED_DB_LOCK_TOKEN: lockToken } : {}) });
const { default: next } = await import("next");

const app = next({ dev: false, webpack: true, dir: process.cwd(), hostname: values.hostname, port: env.PORT });
const handle = app.getRequestHandler();
await app.prepare();

const server = http.createServer((req, res) => {
  // Overwrites whatever the client sent under this name.
  req.headers[PEER_ADDRESS_HEADER] = peerAddressHeaderValue(req.socket.remoteAddress);
  void handle(req, res);
});
server.listen(env.PORT, values.hostname, () => {
  process.stdout.write(`ready on http://${values.hostname ?? "localhost"}:${env.PORT}\n`);
});

// Stop on Ctrl-C or a service manager's SIGTERM: finish what is in flight, then exit.
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    server.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 10_000).unref();
  });
}
