import { z } from "zod";
import { boundedDate, lineText } from "@/lib/core/bounded-input";
import { apiScopes } from "@/lib/auth/principal";

export const ApiScopeSchema = z.enum(apiScopes);

/** Requests per minute for one key; null: the server's RATE_LIMIT_PER_KEY; 0: no limit. */
export const KeyRateLimit = z
  .number({ error: "The rate limit is a whole number of requests per minute." })
  .int("The rate limit is a whole number of requests per minute.")
  .min(0, "The rate limit cannot be negative (0 means no limit).")
  .max(1_000_000, "The rate limit is at most 1,000,000 requests per minute.")
  .nullable();

export const CreateApiKeyInput = z.object({
  /** The person the key acts for: its role decides what the key may see, its scopes what it may do. */
  ownerEmail: z.string().trim().toLowerCase().pipe(z.email("Enter the owner's email address.")),
  name: lineText().trim().min(1, "Give the key a name, e.g. the system that will use it.").max(100),
  scopes: z
    .array(ApiScopeSchema)
    .min(1, "Choose at least one scope.")
    .transform((s) => [...new Set(s)].sort()),
  /** Optional expiry; past dates are refused. */
  expiresAt: boundedDate()
    .refine((d) => d.getTime() > Date.now(), "The expiry must be in the future.")
    .optional()
    .nullable(),
  rateLimitPerMinute: KeyRateLimit.optional(),
});
export type CreateApiKeyInput = z.input<typeof CreateApiKeyInput>;
export type CreateApiKeyParsed = z.output<typeof CreateApiKeyInput>;

export const UpdateApiKeyInput = z.object({ rateLimitPerMinute: KeyRateLimit });
export type UpdateApiKeyInput = z.infer<typeof UpdateApiKeyInput>;
