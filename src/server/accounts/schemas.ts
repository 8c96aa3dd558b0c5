import { z } from "zod";
import { passwordSchema } from "@/server/auth/password";
import { inviteTokenSchema } from "@/server/people/schemas";

export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, "Use at most 254 characters.")
  .pipe(z.email("Enter a valid email address."));

export const signUpSchema = z.strictObject({
  name: z.string().trim().min(1, "Enter your name.").max(100, "Use at most 100 characters."),
  email: emailSchema,
  password: passwordSchema,
  /** The invite link the person signs up from: the account joins that workspace instead of getting its own. */
  inviteToken: inviteTokenSchema.optional(),
});

export const signInSchema = z.strictObject({
  email: z.string().trim().toLowerCase().max(254),
  password: z.string().max(1024),
});

export type SignUpInput = z.infer<typeof signUpSchema>;
export type SignInInput = z.infer<typeof signInSchema>;

export const changePasswordSchema = z.strictObject({
  currentPassword: z.string().max(1024),
  newPassword: passwordSchema,
});

export const deleteAccountSchema = z.strictObject({
  password: z.string().max(1024),
  /** The account's email, typed again: deleting is permanent. */
  confirmation: z.string().trim().toLowerCase().max(254),
});

export type ChangePasswordInput = z.infer<typeof changePasswordSchema>;
export type DeleteAccountInput = z.infer<typeof deleteAccountSchema>;
