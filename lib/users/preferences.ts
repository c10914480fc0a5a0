// A person's own settings, kept with their account so they follow them to any browser.
import "server-only";
import { eq, sql } from "drizzle-orm";
import { AppError } from "@/lib/core/errors";
import { db } from "@/lib/db/client";
import { users } from "@/lib/db/schema";
import { readerPreferencesOf, type ReaderPreferences, type ReaderPreferencesChange } from "./preferences-input";

export async function getReaderPreferences(userId: string): Promise<ReaderPreferences> {
  const [row] = await db.select({ preferences: users.preferences }).from(users).where(eq(users.id, userId)).limit(1);
  return readerPreferencesOf(row?.preferences);
}

/** Merges the change into the stored preferences in one statement (two tabs changing two settings keep both). */
export async function updateReaderPreferences(userId: string, change: ReaderPreferencesChange): Promise<ReaderPreferences> {
  const [row] = await db
    .update(users)
    .set({ preferences: sql`${users.preferences} || ${JSON.stringify(change)}::jsonb` })
    .where(eq(users.id, userId))
    .returning({ preferences: users.preferences });
  if (!row) throw new AppError("not_found", "No such account.");
  return readerPreferencesOf(row.preferences);
}
