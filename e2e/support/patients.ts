// Helpers for e2e/studies.spec.ts: DICOM films of two made-up patients (names and IDs set, as a
// modality writes them), written here per run, and the privacy check of what the run left behind:
// the PostgreSQL dump of the e2e database and the app server's log.
import { spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import { expect } from "@playwright/test";
import { testStudyUid, visitFilm, type VisitFilm } from "../../lib/studies/testing/study-dicom";
import { e2eEnv } from "./e2e-env";
import type { StudyUpload } from "./studies";

export interface TestPatient {
  patientName: string;
  patientId: string;
  issuer: string;
}

/** A patient whose name and ID exist nowhere but in this run's files. */
export function makePatient(given: string): TestPatient {
  const r = crypto.randomBytes(4).toString("hex").toUpperCase();
  return { patientName: `Qxtest${r}^${given}`, patientId: `PID${r}${given.length}`, issuer: "E2E-HOSPITAL" };
}

export function visitUid(): string {
  return testStudyUid();
}

/** One film of a visit as a DICOM upload named `name` (no identifier in the name). */
export function film(name: string, patient: TestPatient, visit: Omit<VisitFilm, keyof TestPatient>): StudyUpload {
  return { name, mimeType: "application/dicom", buffer: visitFilm({ ...patient, ...visit }) };
}

/** Identifiers of `patients` found in the run's database dump or server log (none is the only good answer). */
export function leakedIdentifiers(patients: TestPatient[]): { where: string; value: string }[] {
  const run = e2eEnv();
  const dump = spawnSync("pg_dump", ["--data-only", "--no-owner", run.databaseUrl], { encoding: "utf8", maxBuffer: 1 << 30 });
  expect(dump.status, dump.stderr).toBe(0);
  expect(dump.stdout).toContain("COPY public.studies"); // the dump really has the tables
  const log = fs.existsSync(run.serverLog) ? fs.readFileSync(run.serverLog, "utf8") : "";
  expect(log.length, "the server log is captured (playwright.config.ts)").toBeGreaterThan(0);
  const values = patients.flatMap((p) => [p.patientId, p.patientName, ...p.patientName.split("^")]);
  return [
    ...values.filter((v) => dump.stdout.includes(v)).map((value) => ({ where: "database dump", value })),
    ...values.filter((v) => log.includes(v)).map((value) => ({ where: "server log", value })),
  ];
}
