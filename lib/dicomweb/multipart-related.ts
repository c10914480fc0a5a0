import crypto from "node:crypto";

// multipart/related bodies (RFC 2387) as DICOMweb uses them (PS3.18 8.6.1.2): parts separated by a
// boundary, each with its own headers. Read and written here, the one home of the format.

export interface RelatedPart {
  contentType: string;
  body: Buffer;
}

export class MultipartRelatedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MultipartRelatedError";
  }
}

/** The media type parameters of a Content-Type header, keys lower-cased, quotes removed. */
export function mediaTypeParams(contentType: string): { type: string; params: Record<string, string> } {
  const [type, ...rest] = contentType.split(";");
  const params: Record<string, string> = {};
  for (const p of rest) {
    const eq = p.indexOf("=");
    if (eq < 0) continue;
    params[p.slice(0, eq).trim().toLowerCase()] = p.slice(eq + 1).trim().replace(/^"(.*)"$/, "$1");
  }
  return { type: type.trim().toLowerCase(), params };
}

function partHeaders(head: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of head.split("\r\n")) {
    const colon = line.indexOf(":");
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return headers;
}

/** Splits a multipart/related body; the part type defaults to the `type` parameter of the whole. */
export function parseMultipartRelated(body: Buffer, contentType: string): RelatedPart[] {
  const { type, params } = mediaTypeParams(contentType);
  if (type !== "multipart/related") throw new MultipartRelatedError("the body is not multipart/related");
  const boundary = params.boundary;
  if (!boundary || boundary.length > 200) throw new MultipartRelatedError("the Content-Type has no boundary parameter");
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: RelatedPart[] = [];
  let at = body.indexOf(delimiter);
  if (at < 0) throw new MultipartRelatedError("the boundary does not occur in the body");
  for (;;) {
    let start = at + delimiter.length;
    if (body.subarray(start, start + 2).toString() === "--") return parts;
    // Transport padding after a delimiter is allowed (RFC 2046), then CRLF.
    while (body[start] === 0x20 || body[start] === 0x09) start++;
    if (body[start] === 0x0d && body[start + 1] === 0x0a) start += 2;
    const next = body.indexOf(Buffer.concat([Buffer.from("\r\n"), delimiter]), start);
    if (next < 0) throw new MultipartRelatedError("the body ends before its closing boundary (truncated?)");
    const headEnd = body.indexOf("\r\n\r\n", start);
    if (headEnd < 0 || headEnd > next) {
      // A part without headers starts with its blank line directly.
      if (body[start] === 0x0d && body[start + 1] === 0x0a) parts.push({ contentType: params.type ?? "", body: body.subarray(start + 2, next) });
      else throw new MultipartRelatedError("a part has no header section");
    } else {
      const headers = partHeaders(body.subarray(start, headEnd).toString("latin1"));
      parts.push({ contentType: headers["content-type"] ?? params.type ?? "", body: body.subarray(headEnd + 4, next) });
    }
    at = next + 2;
  }
}

/** A multipart/related body of parts of one type, and the Content-Type header that describes it. */
export function encodeMultipartRelated(parts: Buffer[], partType: string): { body: Buffer; contentType: string } {
  const boundary = `cxr-${crypto.randomBytes(12).toString("hex")}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Type: ${partType}\r\nContent-Length: ${part.length}\r\n\r\n`), part, Buffer.from("\r\n"));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/related; type="${partType}"; boundary=${boundary}` };
}
