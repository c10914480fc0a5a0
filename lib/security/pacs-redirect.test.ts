// Security suite: results go to the configured PACS and nowhere else. The SR and the captures carry the
// patient's name and ID; delivery used to follow a 307 and send them again to wherever it pointed. Here a
// real local HTTP server answers 307 towards a second one, which must never receive a byte.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, describe, expect, it, vi } from "vitest";

const servers = await vi.hoisted(async () => {
  const { createServer } = await import("node:http");
  const listen = (handler: Parameters<typeof createServer>[1]) =>
    new Promise<import("node:http").Server>((resolve) => {
      const server = createServer(handler);
      server.listen(0, "127.0.0.1", () => resolve(server));
    });
  const received: { path: string; bytes: number }[] = [];
  const elsewhere = await listen((req, res) => {
    let bytes = 0;
    req.on("data", (c: Buffer) => (bytes += c.length));
    req.on("end", () => {
      received.push({ path: req.url ?? "", bytes });
      res.writeHead(200, { "content-type": "application/dicom+json" }).end("{}");
    });
  });
  const elsewherePort = (elsewhere.address() as import("node:net").AddressInfo).port;
  let redirects = 0;
  const pacs = await listen((req, res) => {
    redirects++;
    req.resume();
    req.on("end", () => res.writeHead(307, { location: `http://127.0.0.1:${elsewherePort}/dicom-web/studies` }).end());
  });
  process.env.DICOMWEB_RESULTS_URL = `http://127.0.0.1:${(pacs.address() as import("node:net").AddressInfo).port}/dicom-web`;
  return { pacs, elsewhere, received, redirects: () => redirects };
});

import { StowError, stowInstances } from "@/lib/pacs/stow-client";

afterAll(async () => {
  await Promise.all([servers.pacs, servers.elsewhere].map((s: http.Server) => new Promise((r) => s.close(r))));
});

describe("security: PACS delivery never follows a redirect", () => {
  it("a 307 is a failed, not retried delivery with its reason, and nothing reaches the redirect's target", async () => {
    const instance = { sopClassUid: "1.2.3", sopInstanceUid: "1.2.3.4", seriesInstanceUid: "1.2.3.5", studyInstanceUid: "1.2.3.6", bytes: Buffer.from("DICM-with-a-patient-name") };
    const failure = await stowInstances([instance]).then(
      () => null,
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(StowError);
    expect((failure as StowError).message).toMatch(/HTTP 307 \(a redirect\)/);
    expect((failure as StowError).retryable).toBe(false);
    expect(servers.redirects()).toBe(1);
    expect(servers.received).toEqual([]);
    expect((servers.elsewhere.address() as AddressInfo).port).toBeGreaterThan(0);
  });
});
