-- Managing everyone's keys and creating machine users are now scopes a key shows (decision 005), no longer
-- implied by "apiKeys.write" for an owner's key. "All permissions" keys of owners held both through that
-- implication; they keep them, now written on the key. Restricted keys do not: that was the point.
UPDATE "ApiKey" AS k
SET permissions = k.permissions || ARRAY['apiKeys.manageAll', 'machineUsers.create']
FROM "Membership" AS m
WHERE m."workspaceId" = k."workspaceId"
  AND m."userId" = k."ownerId"
  AND m.role = 'owner'
  AND k.kind = 'all'
  AND 'apiKeys.write' = ANY (k.permissions)
  AND NOT ('apiKeys.manageAll' = ANY (k.permissions));
