import { z } from "zod";
import { timestamp } from "@/server/api/common-schemas";
import { ROLES } from "@/server/auth/permissions";

export const changeRoleSchema = z.strictObject({
  membershipId: z.string().min(1).max(64),
  role: z.enum(ROLES),
});

export const membershipIdSchema = z.strictObject({ membershipId: z.string().min(1).max(64) });
export const inviteIdSchema = z.strictObject({ inviteId: z.string().min(1).max(64) });
export const inviteTokenSchema = z
  .string()
  .min(20)
  .max(128)
  .regex(/^[A-Za-z0-9_-]+$/);

export const peopleSchema = z.object({
  members: z.array(
    z.object({
      id: z.string(),
      role: z.enum(ROLES),
      createdAt: z.date(),
      user: z.object({ id: z.string(), name: z.string(), email: z.string(), isMachine: z.boolean() }),
      recentlyUsedKeys: z.number().int().describe("Keys of this person used in the last 30 days."),
    }),
  ),
  seats: z.number().int().describe("People, not counting machine users."),
});

export const pendingInvitesSchema = z.array(
  z.object({ id: z.string(), createdAt: timestamp, expiresAt: timestamp, createdBy: z.string().describe("Who made the link.") }),
);

export const createdInviteSchema = z.object({ token: z.string().describe("The link's secret, shown this once."), expiresAt: timestamp });
