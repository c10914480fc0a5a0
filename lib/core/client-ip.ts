import crypto from "node:crypto";
import net from "node:net";
import { env } from "@/lib/env";

// The address a request came from, as far as it can be trusted. Route handlers cannot see the socket,
// so the server (lib/cli/start.ts) writes the socket's address into PEER_ADDRESS_HEADER, stamped with a
// secret made by this process: a client sending that header itself, or a server that did not write it
// (a bare `next start`), yields no address rather than a chosen one.
//
// TRUSTED_PROXIES=0: clients connect directly; the socket address is used and X-Forwarded-For ignored.
// TRUSTED_PROXIES=N: N reverse proxies each append the address they saw to X-Forwarded-For; the Nth
// entry from the right is the one the outermost proxy saw. Entries further left are whatever the
// client claimed and never decide a rate limit or reach the audit log.
//
// Every address is parsed as IPv4 or IPv6 before use: anything else (`=1+2`, markup) counts as none.

export const PEER_ADDRESS_HEADER = "x-cxr-peer-address";

const globalForPeer = globalThis as unknown as { cxrPeerStamp?: string };

/** The header value the server sets on each request: this process's stamp and the socket's address. */
export function peerAddressHeaderValue(socketAddress: string | undefined): string {
  globalForPeer.cxrPeerStamp ??= crypto.randomBytes(18).toString("base64url");
  return `${globalForPeer.cxrPeerStamp} ${socketAddress ?? ""}`;
}

/** `raw` as a canonical IPv4 or IPv6 address (IPv4-mapped IPv6 as IPv4), or null when it is not one. */
export function validAddress(raw: string | null | undefined): string | null {
  // A zone ("fe80::1%eth0") names the server's interface, not the client.
  const value = raw?.trim().split("%")[0];
  if (!value || value.length > 45) return null;
  if (net.isIPv4(value)) return value;
  if (!net.isIPv6(value)) return null;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(value);
  if (mapped && net.isIPv4(mapped[1])) return mapped[1];
  // Canonical text form (lowercase, zeros compressed), so one host is one rate-limit bucket.
  return new URL(`http://[${value}]/`).hostname.slice(1, -1);
}

function socketAddress(headers: Headers): string | null {
  const stamp = globalForPeer.cxrPeerStamp;
  const value = headers.get(PEER_ADDRESS_HEADER);
  if (!stamp || !value) return null;
  const space = value.indexOf(" ");
  const given = Buffer.from(space < 0 ? value : value.slice(0, space));
  const own = Buffer.from(stamp);
  if (given.length !== own.length || !crypto.timingSafeEqual(given, own)) return null;
  return validAddress(value.slice(space + 1));
}

/** The client's validated address, or null when none can be trusted. */
export function clientAddress(headers: Headers, trustedProxies = env.TRUSTED_PROXIES): string | null {
  if (trustedProxies === 0) return socketAddress(headers);
  const chain = (headers.get("x-forwarded-for") ?? "").split(",").map((s) => s.trim());
  // Fewer entries than proxies: the request did not pass through all of them, so none is trusted.
  if (chain.length < trustedProxies || (chain.length === 1 && chain[0] === "")) return socketAddress(headers);
  return validAddress(chain[chain.length - trustedProxies]);
}

/** The rate-limit bucket of a request: its address, or one shared bucket when it has none. */
export function requestIp(headers: Headers, trustedProxies = env.TRUSTED_PROXIES): string {
  return clientAddress(headers, trustedProxies) ?? "unknown";
}
