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
