// Builds the OpenAPI 3.1 document from the v1 zod schemas and operation table. JSON Schema 2020-12 is
// OpenAPI 3.1's own schema dialect, so zod's output is used as is, minus the per-schema $schema/$id.
import { z } from "zod";
import { apiScopes } from "@/lib/auth/principal";
import { v1Operations, type V1Operation } from "./operations";
import { Problem, scopeDescriptions, uploadBodyJsonSchema, v1Registry } from "./schemas";

type Json = Record<string, unknown>;

const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });

function refFor(schema: z.ZodType): Json {
  const meta = v1Registry.get(schema);
  if (!meta) throw new Error("v1 response schemas must be registered in v1Registry");
  return ref(meta.id);
}

function strip(schema: Json): Json {
  return Object.fromEntries(Object.entries(schema).filter(([k]) => k !== "$schema" && k !== "$id"));
}

const problemTitles: Record<number, string> = {
  400: "The request is malformed or fails validation.",
  401: "No API key, or one that is malformed, unknown, revoked or expired.",
  403: "The key lacks the scope this operation needs, or its owner's role does not allow it.",
  404: "Not found.",
  413: "Too large: the request, a file, or too many files.",
  415: "Not multipart/form-data.",
  422: "The input cannot be processed (e.g. not an image, or no file could be analysed).",
  429: "Rate limit reached for this key or address; see Retry-After.",
  503: "Temporarily unavailable (queue full, or model not loaded); see Retry-After.",
};

const retryAfter = {
  description: "Seconds to wait before retrying.",
  schema: { type: "integer", minimum: 1 },
};

function parameters(op: V1Operation): Json[] {
  const out: Json[] = [];
  for (const [name, description] of Object.entries(op.pathParams ?? {})) {
    out.push({ name, in: "path", required: true, description, schema: { type: "string", format: "uuid" } });
  }
  for (const [name, h] of Object.entries(op.headerParams ?? {})) {
    out.push({ name, in: "header", required: false, description: h.description, schema: h.schema });
  }
  for (const [name, field] of Object.entries(op.query?.shape ?? {})) {
    const s = field as z.ZodType;
    const schema = strip(z.toJSONSchema(s, { io: "input" }) as Json);
    const { description, ...rest } = schema;
    out.push({ name, in: "query", required: !s.safeParse(undefined).success, ...(description ? { description } : {}), schema: rest });
  }
  return out;
}

function operation(op: V1Operation): Json {
  const responses: Json = {};
  for (const [status, r] of Object.entries(op.success)) {
    const schemas = Array.isArray(r.schema) ? r.schema : r.schema ? [r.schema] : [];
    responses[status] = {
      description: r.description,
      ...(r.headers
        ? { headers: Object.fromEntries(Object.entries(r.headers).map(([name, description]) => [name, { description, schema: { type: "string" } }])) }
        : {}),
      ...(schemas.length
        ? { content: { [r.contentType ?? "application/json"]: { schema: schemas.length === 1 ? refFor(schemas[0]) : { oneOf: schemas.map(refFor) } } } }
        : {}),
      ...(r.binaryContent ? { content: Object.fromEntries(r.binaryContent.map((type) => [type, { schema: { type: "string", format: "binary" } }])) } : {}),
    };
  }
  for (const status of [...new Set([...op.errors, 401, 403, 429])].sort()) {
    responses[status] = {
      description: problemTitles[status] ?? "Error.",
      ...(status === 429 || status === 503 ? { headers: { "Retry-After": retryAfter } } : {}),
      content: { "application/problem+json": { schema: refFor(Problem) } },
    };
  }
  return {
    operationId: op.operationId,
    summary: op.summary,
    description: `${op.description}\n\nRequires scope ${op.scopes.map((s) => `\`${s}\``).join(", ")}.`,
    tags: [op.path.includes("models") ? "Models" : "Analyses"],
    security: [{ apiKey: [...op.scopes] }],
    ...(parameters(op).length ? { parameters: parameters(op) } : {}),
    ...(op.multipartUpload
      ? {
          requestBody: {
            required: true,
            content: { "multipart/form-data": { schema: uploadBodyJsonSchema, encoding: { file: { contentType: "application/octet-stream" } } } },
          },
        }
      : {}),
    responses,
  };
}

export function buildOpenApiDocument(serverUrl = "/"): Json {
  const { schemas } = z.toJSONSchema(v1Registry, { uri: (id) => `#/components/schemas/${id}` }) as { schemas: Record<string, Json> };
  const paths: Record<string, Json> = {};
  for (const op of Object.values(v1Operations) as V1Operation[]) {
    paths[op.path] = { ...(paths[op.path] ?? {}), [op.method]: operation(op) };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Chest X-ray AI platform API",
      version: "1.0.0",
      description:
        "Versioned REST API for other hospital systems. Authenticate with an API key (`Authorization: Bearer cxr_...`), " +
        "created by an administrator or with `npm run apikey:create`. Errors are RFC 9457 problem+json. Scopes: " +
        apiScopes.map((s) => `\`${s}\` (${scopeDescriptions[s]})`).join(", ") +
        ". Findings come from an AI model and are not a diagnosis.",
    },
    servers: [{ url: serverUrl }],
    tags: [{ name: "Analyses" }, { name: "Models" }],
    paths,
    components: {
      schemas: Object.fromEntries(Object.entries(schemas).map(([k, v]) => [k, strip(v)])),
      securitySchemes: {
        apiKey: {
          type: "http",
          scheme: "bearer",
          bearerFormat: "cxr_<prefix>_<secret>",
          description: "An API key; its scopes are listed per operation.",
        },
      },
    },
  };
}
