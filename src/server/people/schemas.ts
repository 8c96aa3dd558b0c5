import { z } from "zod";
import { ROLES } from "@/server/auth/permissions";

export const changeRoleSchema = z.strictObject({
  membershipId: z.string().min(1).max(64),
  role: z.enum(ROLES),
});

export const membershipIdSchema = z.strictObject({ membershipId: z.string().min(1).max(64) });
export const inviteIdSchema = z.strictObject({ inviteId: z.string().min(1).max(64) });
export const inviteTokenSchema = z.string().min(20).max(128).regex(/^[A-Za-z0-9_-]+$/);
