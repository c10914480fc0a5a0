// What the admin's data-lifecycle requests may carry. Patient IDs travel in request bodies only (never a
// URL) and are turned into the pseudonymous link at once.
import { z } from "zod";
import { RetentionRules } from "./rules";

export { RetentionRules };

const Reason = z.string().trim().min(3, "Say why (a case or ticket reference), at least 3 characters.").max(300);
const PatientId = z.string().trim().min(1, "Type the Patient ID.").max(64);
const Issuer = z.string().trim().max(64).optional();

export const HoldInput = z.union([
  z.object({ studyId: z.uuid(), reason: Reason }),
  z.object({ patientId: PatientId, issuer: Issuer, reason: Reason }),
]);

export const ErasureInput = z.object({
  target: z.discriminatedUnion("kind", [
    z.object({ kind: z.literal("patient"), patientId: PatientId, issuer: Issuer }),
    z.object({ kind: z.literal("analysis"), analysisId: z.uuid() }),
  ]),
  /** Typed by the admin: erasure cannot be undone. */
  confirm: z.literal("ERASE", { message: 'Type ERASE to confirm: erasure cannot be undone.' }),
});

export const RunInput = z.object({ confirm: z.literal(true, { message: "Confirm the run with {\"confirm\": true}." }) });
