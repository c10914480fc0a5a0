import { Busboy, type BusboyInstance } from "@fastify/busboy";
import type { UploadedFile } from "@/lib/uploads/accept-upload";
import { env } from "@/lib/env";
import { AppError } from "@/lib/core/errors";
import { BodyTooLargeError, forEachBodyChunk, readBodyLimited } from "@/lib/api/read-body";

// Reads a multipart upload with limits that hold before memory is spent: the body is parsed as it
// arrives (busboy), counted against the request limit (./read-body.ts stops reading there), and only
// the files of the one field are kept, each copied once. Reading the whole body first and handing it
// to the platform's parser (Response.formData()) copied every file through Blobs four or five more
// times, which under upload load was about a tenth of the web process's CPU.

export interface MultipartLimits {
  /** Whole request body. */
  maxRequestBytes: number;
  /** Each file. */
  maxFileBytes: number;
  maxFiles: number;
}

export function defaultUploadLimits(): MultipartLimits {
  return {
    maxRequestBytes: Math.round(env.MAX_REQUEST_MB * 1024 * 1024),
    maxFileBytes: Math.round(env.MAX_UPLOAD_MB * 1024 * 1024),
    maxFiles: env.API_MAX_FILES,
  };
}

const mb = (bytes: number) => `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;

function tooLarge(limit: number): AppError {
  return new AppError("payload_too_large", `The request is larger than the ${mb(limit)} this server accepts at once; send fewer or smaller files.`, {
    subcode: "request_too_large",
  });
}

/** The whole request body, refused with 413 past `limit` bytes (declared or actually received). */
export async function readLimited(req: Request, limit: number): Promise<Uint8Array<ArrayBuffer>> {
  try {
    return await readBodyLimited(req, limit);
  } catch (error) {
    if (error instanceof BodyTooLargeError) throw tooLarge(limit);
    throw error;
  }
}

const malformed = () =>
  new AppError("bad_request", "The multipart body could not be read; it may be truncated or its boundary wrong.", {
    subcode: "malformed_multipart",
  });

// Browsers send `"`, CR and LF in a file name as %22, %0D and %0A (the HTML form-data encoding); they
// are decoded as the platform's FormData decoded them.
const platformFileName = (name: string) => name.replace(/%0A/gi, "\n").replace(/%0D/gi, "\r").replace(/%22/g, '"');

interface FilePart {
  fileName: string;
  chunks: Buffer[];
  /** Past the per-file limit: its bytes are not kept. */
  tooBig: boolean;
  ended: Promise<void>;
}

/** What a multipart body held for one field, as busboy reported it while the body arrived. */
class FieldCollector {
  readonly files: FilePart[] = [];
  textInField = false;
  failed = false;
  private readonly parser: BusboyInstance | null;
  private readonly finished: Promise<void>;

  constructor(contentType: string, field: string, maxFileBytes: number) {
    let parser: BusboyInstance | null = null;
    try {
      // A part is a file when it names one (filename=), as in the platform's FormData; the name is
      // kept as sent (paths included), as the platform kept it.
      parser = Busboy({ headers: { "content-type": contentType }, preservePath: true, isPartAFile: (_n, _t, fileName) => fileName !== undefined, limits: { fileSize: maxFileBytes } });
    } catch {
      this.failed = true;
    }
    this.parser = parser;
    this.finished = new Promise<void>((resolve) => {
      if (!parser) return resolve();
      parser.on("file", (name, stream, fileName) => {
        if (name !== field) {
          stream.resume();
          return;
        }
        const part: FilePart = {
          fileName: platformFileName(fileName),
          chunks: [],
          tooBig: false,
          ended: new Promise<void>((done) => stream.on("end", done).on("error", done)),
        };
        stream.on("data", (chunk: Buffer) => {
          if (!part.tooBig) part.chunks.push(chunk);
        });
        stream.on("limit", () => {
          part.tooBig = true;
          part.chunks = [];
        });
        this.files.push(part);
      });
      parser.on("field", (name) => {
        if (name === field) this.textInField = true;
      });
      parser.on("error", () => {
        this.failed = true;
        resolve();
      });
      parser.on("finish", () => resolve());
    });
  }

  write(chunk: Uint8Array): void {
    if (this.failed || !this.parser) return;
    this.parser.write(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
  }

  /** After the last chunk: every part parsed (or the body found malformed). */
  async end(): Promise<void> {
    if (!this.failed) this.parser?.end();
    await this.finished;
    if (!this.failed) await Promise.all(this.files.map((f) => f.ended));
  }

  /** Stops parsing a body that will not be used. */
  abandon(): void {
    this.failed = true;
    this.parser?.destroy();
  }
}

/**
 * The files of a repeatable multipart field, read from the request and checked against the limits;
 * never an empty list. Other content types are refused before anything is read.
 */
export async function readUploadedFiles(req: Request, field = "file", limits = defaultUploadLimits()): Promise<UploadedFile[]> {
  const type = req.headers.get("content-type") ?? "";
  if (!/^multipart\/form-data\s*;\s*boundary=/i.test(type)) {
    throw new AppError("unsupported_media_type", `Send the files as multipart/form-data in the field "${field}".`);
  }
  const form = new FieldCollector(type, field, limits.maxFileBytes);
  try {
    // A malformed body is still read to its end: one that is also over the request limit is a 413.
    await forEachBodyChunk(req, limits.maxRequestBytes, (chunk) => form.write(chunk));
  } catch (error) {
    form.abandon();
    if (error instanceof BodyTooLargeError) throw tooLarge(limits.maxRequestBytes);
    throw error;
  }
  await form.end();
  if (form.failed) throw malformed();
  if (form.textInField) throw new AppError("bad_request", `The field "${field}" must carry files, not text.`, { subcode: "not_a_file" });
  const files = form.files;
  if (files.length === 0) throw new AppError("bad_request", `Attach at least one file in the field "${field}".`, { subcode: "no_file" });
  if (files.length > limits.maxFiles) {
    throw new AppError("payload_too_large", `Send at most ${limits.maxFiles} files per request (got ${files.length}).`, {
      subcode: "too_many_files",
    });
  }
  const big = files.find((f) => f.tooBig);
  if (big) {
    throw new AppError("payload_too_large", `"${big.fileName}" is larger than the ${mb(limits.maxFileBytes)} limit per file.`, {
      subcode: "file_too_large",
    });
  }
  // Copied once: the parser's chunks may be views of its own reused buffers.
  return files.map((f) => ({ fileName: f.fileName, bytes: Buffer.concat(f.chunks) }));
}
