import "server-only";
import pino from "pino";
import { env } from "@/lib/env";

// Structured logs. Patient names and IDs never reach a log line: the redact paths below are a safety
// net for objects that might carry DICOM metadata; code should not pass such fields in the first place.
export const logger = pino({
  level: env.LOG_LEVEL,
  base: { service: "cxr-platform" },
  redact: {
    paths: ["*.patientName", "*.patientId", "*.PatientName", "*.PatientID", "*.password", "*.authorization"],
    censor: "[redacted]",
  },
});

/**
 * What may be logged of an unexpected error. Messages are left out on purpose: a database error's
 * message carries the query's values (file names, accession numbers, UIDs), which must not reach logs.
 * The stack keeps only its "at ..." frames (drizzle puts the query and its params on the lines above).
 */
export function errorSummary(error: unknown): Record<string, unknown> {
  const e = error as {
    name?: string;
    code?: string;
    stack?: string;
    cause?: { code?: string; constraint_name?: string; table_name?: string };
  };
  return {
    name: e?.name,
    code: e?.code ?? e?.cause?.code,
    constraint: e?.cause?.constraint_name,
    table: e?.cause?.table_name,
    frames: e?.stack
      ?.split("\n")
      .filter((line) => /^\s*at /.test(line))
      .slice(0, 8)
      .join("\n"),
  };
}
