// Share inputs and views, shared by the share panel (client) and the route handlers: one schema.
import { z } from "zod";

export const SHARE_MAX_DAYS = 365;

export const CreateShareInput = z.object({
  /** Days until the link stops working; the server default applies when omitted. */
  expiresInDays: z.number().int().min(1).max(SHARE_MAX_DAYS).optional(),
  /** Optional second factor the patient types; sent to them by another channel than the link. */
  // Lower-cased: the patient may type it in any case (lib/shares/unlock.ts).
  accessCode: z
    .string()
    .trim()
    .toLowerCase()
    .min(6, "An access code needs at least 6 characters.")
    .max(64, "An access code can have at most 64 characters.")
    .optional()
    .or(z.literal("").transform(() => undefined)),
  recipientEmail: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.email("Enter a valid email address."))
    .optional()
    .or(z.literal("").transform(() => undefined)),
});
export type CreateShareInput = z.input<typeof CreateShareInput>;

export const AccessCodeInput = z.object({ code: z.string().min(1, "Enter the access code.").max(200) });

/** What staff see of a share: never the token or the code. */
export interface ShareView {
  id: string;
  analysisId: string;
  createdAt: string;
  expiresAt: string;
  hasAccessCode: boolean;
  recipientEmail: string | null;
  createdBy: string;
}

export interface CreatedShare {
  share: ShareView;
  /** The full link, shown once: only its hash is stored. */
  url: string;
}
