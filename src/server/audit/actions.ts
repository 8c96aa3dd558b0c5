// What the audit log records, as data: the writer (record.ts), the API's schemas and the Audit log page all read
// this list, so an action is named and labelled once. Pure: client components import it.

export const AUDIT_ACTIONS = [
  "api_key.created",
  "api_key.updated",
  "api_key.restricted",
  "api_key.rolled",
  "api_key.stopped",
  "api_key.deleted",
  "api_key.expired",
  "api_key.revoked_leaked",
  "machine_user.created",
  "machine_user.deleted",
  "member.invited",
  "member.invite_revoked",
  "member.joined",
  "member.role_changed",
  "member.removed",
  "member.left",
  "workspace.updated",
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** How the page names each action. */
export const AUDIT_ACTION_LABELS: Record<AuditAction, string> = {
  "api_key.created": "API key created",
  "api_key.updated": "API key edited",
  "api_key.restricted": "API key restricted to what it uses",
  "api_key.rolled": "API key rolled",
  "api_key.stopped": "API key stopped",
  "api_key.deleted": "API key deleted",
  "api_key.expired": "API key expired",
  "api_key.revoked_leaked": "API key revoked as leaked",
  "machine_user.created": "Machine user created",
  "machine_user.deleted": "Machine user deleted",
  "member.invited": "Invite link created",
  "member.invite_revoked": "Invite link revoked",
  "member.joined": "Member joined",
  "member.role_changed": "Member's role changed",
  "member.removed": "Member removed",
  "member.left": "Member left",
  "workspace.updated": "Workspace settings changed",
};

export const AUDIT_ACTOR_TYPES = ["user", "api_key", "system", "scanner"] as const;
export type AuditActorType = (typeof AUDIT_ACTOR_TYPES)[number];

/** What an event is about: a key, a machine user, a person (user), an invite link or the workspace itself. */
export const AUDIT_TARGET_TYPES = ["api_key", "machine_user", "user", "invite", "workspace"] as const;
export type AuditTargetType = (typeof AUDIT_TARGET_TYPES)[number];
