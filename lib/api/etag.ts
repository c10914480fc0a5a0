import "server-only";
import { createHash } from "node:crypto";

// Entity tags for JSON answers: a strong tag from the body's bytes, and the If-None-Match check
// (RFC 9110 13.1.2: weak comparison, "*" matches any). The answer is still read to compare; what a
// match saves is the body on the wire and the client's parsing.

export async function bodyEtag(res: Response): Promise<string> {
  const body = await res.clone().arrayBuffer();
  return `"${createHash("sha256").update(new Uint8Array(body)).digest("base64url").slice(0, 27)}"`;
}

export function ifNoneMatch(headers: Headers, etag: string): boolean {
  const header = headers.get("if-none-match");
  if (!header) return false;
  const opaque = (t: string) => t.trim().replace(/^W\//, "");
  return header.split(",").some((t) => t.trim() === "*" || opaque(t) === opaque(etag));
}
