// Sessions are stateless signed tokens (next-auth JWTs); a sign-out records the token's session id
// here so that a copy of the token taken before is refused until it would have expired anyway.
import { index, pgTable, timestamp, uuid } from "drizzle-orm/pg-core";
import { users } from "./core";

export const revokedSessions = pgTable(
  "revoked_sessions",
  {
    sessionId: uuid("session_id").primaryKey(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** When the token would have expired: the row is useless after that and is deleted. */
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("revoked_sessions_expires_at_idx").on(t.expiresAt)],
);
