-- CreateIndex
CREATE INDEX "AuditEvent_workspaceId_actorId_occurredAt_idx" ON "AuditEvent"("workspaceId", "actorId", "occurredAt");

-- CreateIndex
CREATE INDEX "AuditEvent_workspaceId_action_occurredAt_idx" ON "AuditEvent"("workspaceId", "action", "occurredAt");

-- The audit log is append-only (src/server/audit/record.ts is its one writer, and only inserts). The database
-- refuses any UPDATE and DELETE of an entry, whoever sends it, with one exception: deleting a workspace deletes
-- its log through the foreign key's cascade (account deletion deletes the workspaces only its owner used).
-- A cascade runs as a trigger of the workspace's DELETE, so inside this function pg_trigger_depth() is 2 there
-- and 1 for a statement sent directly; and the cascade's own DELETE runs after the workspace row is gone. Both
-- are required, so a DELETE sent from some other trigger, while the workspace still exists, is refused too.
-- Workspace ids never change: the cascade of an id change (ON UPDATE CASCADE) is refused like any UPDATE.
CREATE FUNCTION "heyoo_audit_event_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Nested: a TRUNCATE's statement trigger has no OLD row to look at.
  IF TG_OP = 'DELETE' THEN
    IF pg_trigger_depth() > 1 AND NOT EXISTS (SELECT 1 FROM "Workspace" WHERE "id" = OLD."workspaceId") THEN
      RETURN OLD;
    END IF;
  END IF;
  RAISE EXCEPTION 'The audit log is append-only: % of "AuditEvent" is not allowed', TG_OP
    USING ERRCODE = 'insufficient_privilege',
          HINT = 'Entries are only ever inserted; deleting their workspace deletes them.';
END;
$$;

CREATE TRIGGER "AuditEvent_append_only" BEFORE UPDATE OR DELETE ON "AuditEvent"
  FOR EACH ROW EXECUTE FUNCTION "heyoo_audit_event_append_only"();

-- TRUNCATE fires no row trigger: refused by a statement trigger of its own.
CREATE TRIGGER "AuditEvent_no_truncate" BEFORE TRUNCATE ON "AuditEvent"
  FOR EACH STATEMENT EXECUTE FUNCTION "heyoo_audit_event_append_only"();
