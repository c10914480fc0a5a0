import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { download, DownloadError, progressLine } from "./download";

// The downloader of `npm run model:fetch` against a local HTTP server that misbehaves on purpose, and
// against a host that cannot resolve (the offline case). Timeouts here are hang guards for the
// downloader, set short so the tests are quick.

const payload = Buffer.alloc(256 * 1024, 7);

describe("download", () => {
  let server: http.Server;
  let base: string;
  let tmp: string;

  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), "cxr-download-"));
    server = http.createServer((req, res) => {
      if (req.url === "/ok") {
        res.writeHead(200, { "content-length": payload.length });
        res.end(payload);
      } else if (req.url === "/redirect") {
        res.writeHead(302, { location: "/ok" });
        res.end();
      } else if (req.url === "/silent") {
        // accept the request, never answer
      } else if (req.url === "/short") {
        res.writeHead(200, { "content-length": payload.length });
        res.write(payload.subarray(0, 1000), () => res.destroy());
      } else {
        res.writeHead(404);
        res.end();
      }
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    await rm(tmp, { recursive: true, force: true });
  });

  it("downloads through a redirect, reports progress and returns the sha256", async () => {
    const dest = path.join(tmp, "ok.pt");
    const seen: number[] = [];
    const r = await download(`${base}/redirect`, dest, { onProgress: (p) => seen.push(p.received) });
    expect(r.bytes).toBe(payload.length);
    expect(r.sha256).toBe(createHash("sha256").update(payload).digest("hex"));
    expect(readFileSync(dest).equals(payload)).toBe(true);
    expect(seen[seen.length - 1]).toBe(payload.length);
    expect(existsSync(`${dest}.part`)).toBe(false);
  });

  it("fails on an HTTP error status", async () => {
    await expect(download(`${base}/missing`, path.join(tmp, "m.pt"))).rejects.toThrow(/HTTP 404/);
  });

  it("gives up when the server does not answer within the connect timeout", async () => {
    const err = await download(`${base}/silent`, path.join(tmp, "s.pt"), { connectTimeoutMs: 300 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DownloadError);
    expect((err as Error).message).toMatch(/no response .* within 0.3 s/);
  });

  it("fails on a body cut short and leaves no partial file", async () => {
    const dest = path.join(tmp, "short.pt");
    await expect(download(`${base}/short`, dest, { stallTimeoutMs: 2000 })).rejects.toBeInstanceOf(DownloadError);
    expect(existsSync(dest)).toBe(false);
    expect(existsSync(`${dest}.part`)).toBe(false);
  });

  it("explains an unresolvable host (the offline case)", async () => {
    // .invalid never resolves (RFC 2606), online or not.
    await expect(download("https://release-host.invalid/model.pt", path.join(tmp, "x.pt"))).rejects.toThrow(/cannot resolve release-host\.invalid/);
  });

  it("draws a progress bar", () => {
    expect(progressLine({ received: 5e6, total: 10e6, bytesPerSecond: 2e6 }, 10)).toBe("[#####.....]  50%  5.0/10.0 MB  2.0 MB/s");
  });
});
