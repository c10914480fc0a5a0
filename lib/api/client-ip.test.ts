import { describe, expect, it } from "vitest";
import { requestIp } from "./client-ip";

const h = (xff?: string, realIp?: string) => {
  const headers = new Headers();
  if (xff !== undefined) headers.set("x-forwarded-for", xff);
  if (realIp) headers.set("x-real-ip", realIp);
  return headers;
};

describe("requestIp", () => {
  it("takes the entry the nearest trusted hop wrote, never what the client claimed further left", () => {
    // No proxy: Next.js writes the socket address when the header is absent.
    expect(requestIp(h("203.0.113.9"), 0)).toBe("203.0.113.9");
    // One proxy appended the real peer to a forged header.
    expect(requestIp(h("1.2.3.4, 203.0.113.9"), 1)).toBe("203.0.113.9");
    // CDN then nginx: the CDN's view of the client is second from the right.
    expect(requestIp(h("1.2.3.4, 203.0.113.9, 10.0.0.2"), 2)).toBe("203.0.113.9");
    // More hops configured than present: the leftmost is all there is.
    expect(requestIp(h("203.0.113.9"), 3)).toBe("203.0.113.9");
  });

  it("falls back to X-Real-IP, then to a shared bucket", () => {
    expect(requestIp(h(undefined, "198.51.100.7"), 0)).toBe("198.51.100.7");
    expect(requestIp(h(" , "), 0)).toBe("unknown");
    expect(requestIp(h(), 0)).toBe("unknown");
  });
});
