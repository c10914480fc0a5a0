// Where links for other people (invitations, patient shares) point when PUBLIC_URL is not set, decided
// by `npm start` from the address it listens on: a loopback or unspecified address is a single-machine
// install, served as http://localhost:PORT; any other address means other machines reach the app by a
// name only the operator knows, so PUBLIC_URL is required.
import { isIP } from "node:net";

const LOOPBACK = new Set(["localhost", "127.0.0.1", "::1", "[::1]"]);

export type LocalUrlDecision = { kind: "public_url" } | { kind: "local"; url: string } | { kind: "required"; message: string };

export function decideLocalUrl({ publicUrl, hostname, port }: { publicUrl?: string; hostname?: string; port: number }): LocalUrlDecision {
  if (publicUrl) return { kind: "public_url" };
  if (!hostname || hostname === "0.0.0.0" || hostname === "::") return { kind: "local", url: `http://localhost:${port}` };
  if (LOOPBACK.has(hostname)) {
    const host = isIP(hostname.replace(/^\[|\]$/g, "")) === 6 ? "[::1]" : hostname;
    return { kind: "local", url: `http://${host}:${port}` };
  }
  return {
    kind: "required",
    message:
      `PUBLIC_URL is not set. This server listens on ${hostname}, so other machines will open it by an address only you know, ` +
      `and the links it sends (invitations, patient reports) must use it. Set PUBLIC_URL to that address ` +
      `(e.g. PUBLIC_URL=https://cxr.example.org) and start again.`,
  };
}
