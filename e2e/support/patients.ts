// Helpers for e2e/studies.spec.ts: DICOM films of two made-up patients (names and IDs set, as a
// modality writes them), written here per run, and the privacy check of what the run left behind:
// every row of the e2e database (embedded or PostgreSQL) and the app server's log.
import crypto from "node:crypto";
import fs from "node:fs";
import { expect } from "@playwright/test";
import { testStudyUid, visitFilm, type VisitFilm } from "../../test/support/studies/study-dicom";
import { e2eEnv } from "./e2e-env";
import type { StudyUpload } from "./studies";
import { databaseDump } from "./test-db";

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

/** Identifiers of `patients` found in the run's database (every row of every table) or server log (none is the only good answer). */
export async function leakedIdentifiers(patients: TestPatient[]): Promise<{ where: string; value: string }[]> {
  const run = e2eEnv();
  const dump = await databaseDump();
  // The dump really has the data: the studies the spec made are in it.
  expect(dump.get("public.studies")?.length ?? 0, "rows of public.studies in the dump").toBeGreaterThan(0);
  const rows = [...dump.values()].flat().join("\n");
  const log = fs.existsSync(run.serverLog) ? fs.readFileSync(run.serverLog, "utf8") : "";
  expect(log.length, "the server log is captured (playwright.config.ts)").toBeGreaterThan(0);
  const values = patients.flatMap((p) => [p.patientId, p.patientName, ...p.patientName.split("^")]);
  return [
    ...values.filter((v) => rows.includes(v)).map((value) => ({ where: "database", value })),
    ...values.filter((v) => log.includes(v)).map((value) => ({ where: "server log", value })),
  ];
}
