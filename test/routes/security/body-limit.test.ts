// Security suite: body limits. An anonymous 100 MB JSON POST to /api/invitations/accept used to be
// read whole (+185 MB per request) before its 400. Now the limit holds while the body is being read.
import { describe, expect, it } from "vitest";
import * as acceptRoute from "@/app/api/invitations/accept/route";

const APP = "http://localhost:3000";
const CHUNK = 16 * 1024;
const HUNDRED_MB = 100 * 1024 * 1024;

/** A 100 MB JSON body that counts how many bytes the server pulled from it. */
function countingBody() {
  const counter = { pulled: 0 };
  const chunk = new TextEncoder().encode(" ".repeat(CHUNK));
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (counter.pulled >= HUNDRED_MB) return controller.close();
      counter.pulled += chunk.byteLength;
      controller.enqueue(chunk);
    },
  });
  return { counter, stream };
}

function post(stream: ReadableStream<Uint8Array>, extra: Record<string, string> = {}) {
  const headers = { host: "localhost:3000", origin: APP, "content-type": "application/json", ...extra };
  return acceptRoute.POST(new Request(`${APP}/api/invitations/accept`, { method: "POST", headers, body: stream, duplex: "half" } as RequestInit), {
    params: Promise.resolve({}),
  });
}

describe("security: body limits", () => {
  it("refuses an oversized chunked JSON body with 413 after reading little more than the 64 KB limit", async () => {
    const { counter, stream } = countingBody();
    const res = await post(stream);
    expect(res.status).toBe(413);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect((await res.json()).detail).toMatch(/larger than the 64 KB/);
    expect(counter.pulled).toBeLessThan(256 * 1024);
  });

  it("refuses a declared Content-Length over the limit before reading the body at all", async () => {
    const { counter, stream } = countingBody();
    const res = await post(stream, { "content-length": String(HUNDRED_MB) });
    expect(res.status).toBe(413);
    expect(counter.pulled).toBeLessThanOrEqual(2 * CHUNK);
  });
});
