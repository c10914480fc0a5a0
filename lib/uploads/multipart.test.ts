// The upload parser (busboy, as the body arrives) against the platform's FormData parser it replaced:
// the same files, bytes and file names, and the same refusal, for well-formed and malformed bodies.
import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import { readUploadedFiles } from "./multipart";

const limits = { maxRequestBytes: 2 * 1024 * 1024, maxFileBytes: 1024 * 1024, maxFiles: 3 };
async function old(body: Uint8Array<ArrayBuffer>, type: string) {
  try {
    const form = await new Response(body, { headers: { "content-type": type } }).formData();
    const entries = form.getAll("file");
    if (entries.some((e) => typeof e === "string")) return "not_a_file";
    const files = entries as File[];
    if (files.length === 0) return "no_file";
    if (files.length > limits.maxFiles) return "too_many";
    if (files.some((f) => f.size > limits.maxFileBytes)) return "too_big";
    return JSON.stringify(await Promise.all(files.map(async (f) => [f.name, Buffer.from(await f.arrayBuffer()).toString("base64").slice(0, 40), f.size])));
  } catch (e) {
    return "malformed " + (e as Error).message.slice(0, 60);
  }
}
async function neu(body: Uint8Array<ArrayBuffer>, type: string) {
  try {
    const files = await readUploadedFiles(new Request("http://x/", { method: "POST", body, headers: { "content-type": type } }), "file", limits);
    return JSON.stringify(files.map((f) => [f.fileName, f.bytes.toString("base64").slice(0, 40), f.bytes.length]));
  } catch (e) {
    const m = { no_file: "no_file", not_a_file: "not_a_file", too_many_files: "too_many", file_too_large: "too_big" } as Record<string, string>; const sc = (e as { extra?: { subcode?: string } }).extra?.subcode ?? ""; return m[sc] ?? (sc === "malformed_multipart" ? "malformed Failed to parse body as FormData." : String(e));
  }
}
const raw = (s: string) => new TextEncoder().encode(s);
const B = "XyZ";
const T = `multipart/form-data; boundary=${B}`;
const part = (h: string, body: string) => `--${B}\r\n${h}\r\n\r\n${body}\r\n`;
const cases: [string, Uint8Array<ArrayBuffer>, string][] = [
  ["simple", raw(part('Content-Disposition: form-data; name="file"; filename="a.png"\r\nContent-Type: image/png', "PNGDATA") + `--${B}--\r\n`), T],
  ["utf8 name", raw(part('Content-Disposition: form-data; name="file"; filename="日本 ü.png"', "X") + `--${B}--`), T],
  ["pct quote", raw(part('Content-Disposition: form-data; name="file"; filename="a%22b.png"', "X") + `--${B}--`), T],
  ["filename*", raw(part("Content-Disposition: form-data; name=\"file\"; filename*=UTF-8''%E6%97%A5.png", "X") + `--${B}--`), T],
  ["empty filename", raw(part('Content-Disposition: form-data; name="file"; filename=""', "X") + `--${B}--`), T],
  ["no filename octet", raw(part('Content-Disposition: form-data; name="file"\r\nContent-Type: application/octet-stream', "X") + `--${B}--`), T],
  ["text", raw(part('Content-Disposition: form-data; name="file"', "abc") + `--${B}--`), T],
  ["other field", raw(part('Content-Disposition: form-data; name="image"', "abc") + `--${B}--`), T],
  ["other file + file", raw(part('Content-Disposition: form-data; name="img"; filename="o.png"', "O") + part('Content-Disposition: form-data; name="file"; filename="f.png"', "F") + `--${B}--`), T],
  ["empty file", raw(part('Content-Disposition: form-data; name="file"; filename="e.png"', "") + `--${B}--`), T],
  ["4 files", raw([1, 2, 3, 4].map((i) => part(`Content-Disposition: form-data; name="file"; filename="${i}.png"`, "Z")).join("") + `--${B}--`), T],
  ["preamble epilogue", raw("preamble\r\n" + part('Content-Disposition: form-data; name="file"; filename="a.png"', "X") + `--${B}--\r\nepilogue`), T],
  ["truncated", raw(`--${B}\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\n\r\n\x89PNG`), T],
  ["no close", raw(part('Content-Disposition: form-data; name="file"; filename="a.png"', "X")), T],
  ["wrong boundary", raw(part('Content-Disposition: form-data; name="file"; filename="a.png"', "X").replaceAll(B, "QQQ") + "--QQQ--"), T],
  ["empty body", raw(""), T],
  ["only close", raw(`--${B}--\r\n`), T],
  ["LF only", raw(`--${B}\nContent-Disposition: form-data; name="file"; filename="a.png"\n\nX\n--${B}--\n`), T],
  ["boundary quoted", raw(part('Content-Disposition: form-data; name="file"; filename="a.png"', "X") + `--${B}--`), `multipart/form-data; boundary="${B}"`],
  ["boundary empty", raw(part('Content-Disposition: form-data; name="file"; filename="a.png"', "X") + `--${B}--`), `multipart/form-data; boundary=`],
  ["header case", raw(part('content-disposition: FORM-DATA; NAME="file"; FILENAME="a.png"', "X") + `--${B}--`), T],
  ["name unquoted", raw(part("Content-Disposition: form-data; name=file; filename=a.png", "X") + `--${B}--`), T],
  ["big file", raw(part('Content-Disposition: form-data; name="file"; filename="big.png"', "x".repeat(1024 * 1024 + 5)) + `--${B}--`), T],
];
describe("readUploadedFiles", () => {
  it("reads what the platform's FormData read, and refuses what it refused", async () => {
    for (const [name, body, type] of cases) expect.soft(await neu(body, type), name).toBe(await old(body, type));
  });

  it("keeps every file's bytes exactly, whatever the chunking of the body", async () => {
    const films = [crypto.randomBytes(300_000), crypto.randomBytes(70_000), crypto.randomBytes(1)];
    const form = new FormData();
    films.forEach((f, i) => form.append("file", new File([new Uint8Array(f)], `film-${i}.png`, { type: "image/png" })));
    form.append("note", "not a file");
    const sent = new Request("http://x/", { method: "POST", body: form });
    const bytes = new Uint8Array(await sent.arrayBuffer());
    for (const size of [1, 7, 4096, 65_536, bytes.length]) {
      const chunks = new ReadableStream<Uint8Array>({
        start(c) {
          for (let o = 0; o < bytes.length; o += size) c.enqueue(bytes.slice(o, o + size));
          c.close();
        },
      });
      const req = new Request("http://x/", { method: "POST", body: chunks, headers: { "content-type": sent.headers.get("content-type")! }, duplex: "half" } as RequestInit);
      const files = await readUploadedFiles(req, "file", { ...limits, maxFiles: 3 });
      expect(files.map((f) => f.fileName)).toEqual(["film-0.png", "film-1.png", "film-2.png"]);
      files.forEach((f, i) => expect(f.bytes.equals(films[i]), `chunks of ${size}, file ${i}`).toBe(true));
    }
  });
});
