import { z } from "zod";
import { lineText } from "@/lib/core/bounded-input";
import { ROLES } from "@/lib/core/roles";

// Inputs of the user administration routes, shared by the admin forms and the handlers.

/** How a new or reset account gets its first password. */
export const credentialMethods = ["one_time_password", "invitation"] as const;
export type CredentialMethod = (typeof credentialMethods)[number];

export const CreateUserInput = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email("Enter a valid email address.")),
  name: lineText().trim().max(200).default(""),
  role: z.enum(ROLES),
  /** sso: the person signs in through the identity provider (pre-provisioning; no password is issued). */
  method: z.enum([...credentialMethods, "sso"]).default("invitation"),
});
export type CreateUserInput = z.infer<typeof CreateUserInput>;

export const UpdateUserInput = z
  .object({
    role: z.enum(ROLES).optional(),
    disabled: z.boolean().optional(),
    name: lineText().trim().max(200).optional(),
  })
  .refine((v) => v.role !== undefined || v.disabled !== undefined || v.name !== undefined, {
    message: "Nothing to change: give role, disabled or name.",
  });
export type UpdateUserInput = z.infer<typeof UpdateUserInput>;

export const ResetPasswordInput = z.object({ method: z.enum(credentialMethods).default("invitation") });

/** Same bar as the operator's ADMIN_PASSWORD. */
export const NewPassword = z
  .string()
  .min(12, "Use at least 12 characters.")
  .max(512, "Use at most 512 characters.");

export const AcceptInvitationInput = z.object({
  token: z.string().min(10).max(2000),
  password: NewPassword,
});

export const ChangePasswordInput = z.object({
  currentPassword: z.string().min(1, "Enter your current password.").max(512),
  newPassword: NewPassword,
});
