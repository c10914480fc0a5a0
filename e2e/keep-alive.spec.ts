// The server keeps an idle keep-alive connection open well past Node's default 5 s, so a client (or a
// load balancer) that sends its next request on a connection it has held idle for a while is not
// reset as the server closes it. No browser.
import http from "node:http";
import type { Socket } from "node:net";
import { expect, test } from "@playwright/test";
import { e2eEnv } from "./support/e2e-env";

function get(agent: http.Agent, path: string): Promise<{ status: number; socket: Socket; reused: boolean }> {
  const base = new URL(e2eEnv().baseURL);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: base.hostname, port: base.port, path, agent }, (res) => {
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode ?? 0, socket: req.socket!, reused: req.reusedSocket }));
    });
    req.on("error", reject);
    req.end();
  });
}

test("a keep-alive connection idle for longer than Node's default 5 s still carries the next request", async () => {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const first = await get(agent, "/api/health");
    expect(first.status).toBe(200);
    await new Promise((r) => setTimeout(r, 7_000));
    // Still open on the server's side: with a 5 s idle limit the server would have closed it by now.
    expect(first.socket.destroyed, "the server closed the idle connection").toBe(false);
    const second = await get(agent, "/api/health");
    expect(second.status).toBe(200);
    expect(second.reused).toBe(true);
    expect(second.socket).toBe(first.socket);
  } finally {
    agent.destroy();
  }
});
