import { z } from "zod";
import { roles } from "../domain/roles";
import { emailSchema, nameFor, slugFor } from "./common";

export const roleSchema = z.enum(roles, { error: `Pick a role: ${roles.join(", ")}` });

export const createTeamSchema = z.strictObject({ slug: slugFor("the team"), name: nameFor("the team") });
export type CreateTeamInput = z.infer<typeof createTeamSchema>;

export const addMemberSchema = z.strictObject({ email: emailSchema, role: roleSchema });
export type AddMemberInput = z.infer<typeof addMemberSchema>;

export const updateMemberSchema = z.strictObject({ role: roleSchema });
export type UpdateMemberInput = z.infer<typeof updateMemberSchema>;
