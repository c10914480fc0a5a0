import { defineRoute } from "@/lib/api/route";
import { STAFF_ROLES } from "@/lib/core/roles";
import { ReaderPreferencesChange } from "@/lib/users/preferences-input";
import { getReaderPreferences, updateReaderPreferences } from "@/lib/users/preferences";

/** The caller's own reader preferences (defaults for any never set). */
export const GET = defineRoute({ auth: "session", roles: STAFF_ROLES }, async ({ principal }) => getReaderPreferences(principal.userId));

/** Changes some of the caller's own reader preferences; answers with all of them. */
export const PUT = defineRoute({ auth: "session", roles: STAFF_ROLES, body: ReaderPreferencesChange }, async ({ principal, body }) =>
  updateReaderPreferences(principal.userId, body),
);
