import { z } from "zod";
import { emailSchema, nameSchema, passwordSchema } from "./common";

/** The first administrator, created on the setup page while no user exists. */
export const setupSchema = z.strictObject({ name: nameSchema, email: emailSchema, password: passwordSchema });
export type SetupInput = z.infer<typeof setupSchema>;

export const signInSchema = z.object({
  email: emailSchema,
  password: z.string().min(1, "is required").max(256, "must be at most 256 characters"),
});
export type SignInInput = z.infer<typeof signInSchema>;

/** A site administrator adding a person who signs in with a password. */
export const createUserSchema = z.strictObject({
  name: nameSchema,
  email: emailSchema,
  password: passwordSchema,
  isSiteAdmin: z.boolean().default(false),
});
export type CreateUserInput = z.infer<typeof createUserSchema>;

/** A person changing their own password: the current one proves it is them. */
export const changePasswordSchema = z.strictObject({
  currentPassword: z.string({ error: "Enter your current password" }).min(1, "Enter your current password").max(256, "must be at most 256 characters"),
  newPassword: passwordSchema,
});
export type ChangePasswordInput = z.infer<typeof changePasswordSchema>;

/** A site administrator disabling or enabling an account. */
export const updateUserSchema = z.strictObject({ disabled: z.boolean({ error: "must be true or false" }) });
export type UpdateUserInput = z.infer<typeof updateUserSchema>;
