import { z } from "zod";
import { emailSchema, passwordSchema, requiredText } from "./common";

const personName = requiredText("Give the person's name").trim().min(1, "Give the person's name").max(100, "Use at most 100 characters for the name");

/** The first administrator, created on the setup page while no user exists. */
export const setupSchema = z.strictObject({ name: personName, email: emailSchema, password: passwordSchema });
export type SetupInput = z.infer<typeof setupSchema>;

export const signInSchema = z.object({
  email: emailSchema,
  password: requiredText("Give your password").min(1, "Give your password").max(256, "Use at most 256 characters for the password"),
});
export type SignInInput = z.infer<typeof signInSchema>;

/** A site administrator adding a person who signs in with a password. */
export const createUserSchema = z.strictObject({
  name: personName,
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
