// Test-only: the app's DICOM-facing route handlers behind a plain Node HTTP server, run as a child
// process by the Orthanc integration test (its own logs, its own queue worker), with the
// configuration in its environment. Prints "LISTENING <port>" once it accepts connections.
import http from "node:http";
import * as stow from "@/app/api/dicomweb/studies/route";
import * as signOff from "@/app/api/analyses/[id]/review/sign-off/route";
import * as analysis from "@/app/api/v1/analyses/[id]/route";
import { startAnalysisWorker } from "@/lib/jobs/analysis-worker";
import { PEER_ADDRESS_HEADER, peerAddressHeaderValue } from "@/lib/core/client-ip";

type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

const routes: { method: string; pattern: RegExp; handler: Handler }[] = [
  { method: "POST", pattern: /^\/api\/dicomweb\/studies\/?$/, handler: stow.POST },
  { method: "POST", pattern: /^\/api\/analyses\/(?<id>[^/]+)\/review\/sign-off$/, handler: signOff.POST },
  { method: "GET", pattern: /^\/api\/v1\/analyses\/(?<id>[^/]+)$/, handler: analysis.GET },
];

const server = http.createServer(async (req, res) => {
  const url = new URL(req.url ?? "/", `http://${req.headers.host ?? "127.0.0.1"}`);
  const route = routes.find((r) => r.method === req.method && r.pattern.test(url.pathname));
  if (!route) {
    res.writeHead(404).end();
    return;
  }
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
  // As the app's own server (lib/cli/start.ts) marks each request with its socket address.
  headers.set(PEER_ADDRESS_HEADER, peerAddressHeaderValue(req.socket.remoteAddress));
  const body = chunks.length ? Buffer.concat(chunks) : undefined;
  const request = new Request(url, { method: req.method, headers, body: body ? new Uint8Array(body) : undefined });
  const params = url.pathname.match(route.pattern)?.groups ?? {};
  const response = await route.handler(request, { params: Promise.resolve({ ...params }) });
  res.writeHead(response.status, Object.fromEntries(response.headers));
  res.end(Buffer.from(await response.arrayBuffer()));
});

server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  process.stdout.write(`LISTENING ${typeof address === "object" && address ? address.port : 0}\n`);
  // Uploads and deliveries are queued: this process works both, as a web process with WORKERS_IN_WEB does.
  void startAnalysisWorker("web");
});
for (const signal of ["SIGTERM", "SIGINT"] as const) process.on(signal, () => server.close(() => process.exit(0)));
