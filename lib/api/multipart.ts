import type { UploadedFile } from "@/lib/analyses/accept-upload";
import { env } from "@/lib/env";
import { AppError } from "./errors";
import { BodyTooLargeError, readBodyLimited } from "./read-body";

// Reads a multipart upload with limits that hold before memory is spent (./read-body.ts stops reading
// at the request limit); only then is the body handed to the platform's multipart parser.

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

/** A multipart request body read whole (within the request limit), not yet parsed. */
export interface MultipartBody {
  type: string;
  bytes: Uint8Array<ArrayBuffer>;
}

/** Reads the body of a multipart upload, refusing other content types before reading anything. */
export async function readMultipartBody(req: Request, field = "file", limits = defaultUploadLimits()): Promise<MultipartBody> {
  const type = req.headers.get("content-type") ?? "";
  if (!/^multipart\/form-data\s*;\s*boundary=/i.test(type)) {
    throw new AppError("unsupported_media_type", `Send the files as multipart/form-data in the field "${field}".`);
  }
  return { type, bytes: await readLimited(req, limits.maxRequestBytes) };
}

/** The files of a repeatable multipart field, checked against the limits; never an empty list. */
export async function parseUploadedFiles(body: MultipartBody, field = "file", limits = defaultUploadLimits()): Promise<UploadedFile[]> {
  let form: FormData;
  try {
    form = await new Response(body.bytes, { headers: { "content-type": body.type } }).formData();
  } catch {
    throw new AppError("bad_request", "The multipart body could not be read; it may be truncated or its boundary wrong.", {
      subcode: "malformed_multipart",
    });
  }
  const entries = form.getAll(field);
  if (entries.some((e) => typeof e === "string")) {
    throw new AppError("bad_request", `The field "${field}" must carry files, not text.`, { subcode: "not_a_file" });
  }
  const files = entries as File[];
  if (files.length === 0) throw new AppError("bad_request", `Attach at least one file in the field "${field}".`, { subcode: "no_file" });
  if (files.length > limits.maxFiles) {
    throw new AppError("payload_too_large", `Send at most ${limits.maxFiles} files per request (got ${files.length}).`, {
      subcode: "too_many_files",
    });
  }
  const big = files.find((f) => f.size > limits.maxFileBytes);
  if (big) {
    throw new AppError("payload_too_large", `"${big.name}" is larger than the ${mb(limits.maxFileBytes)} limit per file.`, {
      subcode: "file_too_large",
    });
  }
  return Promise.all(files.map(async (f) => ({ fileName: f.name, bytes: Buffer.from(await f.arrayBuffer()) })));
}
