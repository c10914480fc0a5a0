// Data lifecycle: what retention may not touch (legal holds) and what erasure leaves behind (the hashes
// of erased share links, so a patient's old link says "gone" instead of "never existed").
import { index, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { users } from "./core";
import { studies } from "./studies";

/**
 * A hold on one study or on one patient (by the pseudonymous patient link, never the ID itself): while
 * it exists no retention rule and no erasure touches what it covers.
 */
export const legalHolds = pgTable(
  "legal_holds",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    studyId: uuid("study_id").references(() => studies.id, { onDelete: "cascade" }),
    patientLink: text("patient_link"),
    /** Why, in the admin's words (a case or ticket reference; never a patient's name or ID). */
    reason: text("reason").notNull(),
    createdBy: uuid("created_by")
      .notNull()
      .references(() => users.id),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("legal_holds_study_idx").on(t.studyId), index("legal_holds_patient_idx").on(t.patientLink)],
);

/** Share links whose report was erased: only the token's hash, which identifies nobody. */
export const erasedShares = pgTable("erased_shares", {
  tokenHash: text("token_hash").primaryKey(),
  erasedAt: timestamp("erased_at", { withTimezone: true }).notNull().defaultNow(),
});

export type LegalHold = typeof legalHolds.$inferSelect;
