// The app's HTTP server, started by `npm start` (./start.ts): Next.js's own request handler (`next()`
// in this process) behind one addition: each request carries its socket's address, stamped so that
// route handlers can trust it (lib/core/client-ip.ts). `next start` cannot do this: it only fills in
// X-Forwarded-For when the client did not send one. And polls that come too soon are refused before
// Next.js routes them (./early-answer.ts).
import http from "node:http";
import { parseArgs } from "node:util";
import next from "next";
import { PEER_ADDRESS_HEADER, peerAddressHeaderValue } from "@/lib/core/client-ip";
import { env } from "@/lib/env";
import { answeredBeforeNext } from "./early-answer";

const { values } = parseArgs({ options: { hostname: { type: "string", short: "H" } } });
const app = next({ dev: false, webpack: true, dir: process.cwd(), hostname: values.hostname, port: env.PORT });
const handle = app.getRequestHandler();
await app.prepare();

const server = http.createServer(async (req, res) => {
  if (answeredBeforeNext(req, res)) return;
  // Overwrites whatever the client sent under this name.
  req.headers[PEER_ADDRESS_HEADER] = peerAddressHeaderValue(req.socket.remoteAddress);
  try {
    await handle(req, res);
  } catch (error) {
    // As `next start` does: one failed request must not take the server down.
    process.stderr.write(`request failed: ${(error as Error)?.name ?? "error"}\n`);
    if (!res.headersSent) res.statusCode = 500;
    res.end();
  }
});
// Idle keep-alive connections stay open longer than a load balancer's or client's own idle limit
// (often 60 s): with Node's default of 5 s the server closes a connection just as the other side
// sends its next request on it, and that request is reset (a 502 behind a balancer, ECONNRESET here).
server.keepAliveTimeout = 65_000;
server.headersTimeout = 66_000;
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
