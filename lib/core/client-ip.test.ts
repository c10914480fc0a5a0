import { describe, expect, it } from "vitest";
import { clientAddress, PEER_ADDRESS_HEADER, peerAddressHeaderValue, requestIp, validAddress } from "./client-ip";

const h = (init: { xff?: string; socket?: string; forgedPeer?: string }) => {
  const headers = new Headers();
  if (init.xff !== undefined) headers.set("x-forwarded-for", init.xff);
  if (init.socket !== undefined) headers.set(PEER_ADDRESS_HEADER, peerAddressHeaderValue(init.socket));
  if (init.forgedPeer !== undefined) headers.set(PEER_ADDRESS_HEADER, init.forgedPeer);
  return headers;
};

describe("client address", () => {
  it("with no proxy, uses the socket address and ignores X-Forwarded-For", () => {
    expect(clientAddress(h({ socket: "203.0.113.9", xff: "1.2.3.4" }), 0)).toBe("203.0.113.9");
    expect(clientAddress(h({ xff: "1.2.3.4" }), 0)).toBeNull();
    expect(requestIp(h({ xff: "1.2.3.4" }), 0)).toBe("unknown");
  });

  it("refuses a peer header the server did not stamp", () => {
    expect(clientAddress(h({ forgedPeer: "203.0.113.9" }), 0)).toBeNull();
    expect(clientAddress(h({ forgedPeer: "wrong-stamp 203.0.113.9" }), 0)).toBeNull();
  });

  it("with N proxies, takes the Nth entry from the right, never what the client claimed further left", () => {
    expect(clientAddress(h({ xff: "1.2.3.4, 203.0.113.9", socket: "10.0.0.2" }), 1)).toBe("203.0.113.9");
    expect(clientAddress(h({ xff: "1.2.3.4, 203.0.113.9, 10.0.0.2", socket: "10.0.0.3" }), 2)).toBe("203.0.113.9");
    // Fewer entries than proxies: not through all of them; the socket is all that is known.
    expect(clientAddress(h({ xff: "203.0.113.9", socket: "10.0.0.3" }), 3)).toBe("10.0.0.3");
    expect(clientAddress(h({ socket: "10.0.0.3" }), 1)).toBe("10.0.0.3");
  });

  it("accepts only IPv4 and IPv6 addresses, in canonical form", () => {
    expect(validAddress("2001:DB8:0:0::1")).toBe("2001:db8::1");
    expect(validAddress("::ffff:192.0.2.1")).toBe("192.0.2.1");
    expect(validAddress("fe80::1%eth0")).toBe("fe80::1");
    for (const bad of ["=1+2", "<img src=x onerror=alert(1)>", "1.2.3.256", "01.2.3.4", "", "unknown", "1.2.3.4:80"]) {
      expect(validAddress(bad), bad).toBeNull();
    }
    expect(clientAddress(h({ xff: "<script>, =1+2" }), 1)).toBeNull();
  });
});
