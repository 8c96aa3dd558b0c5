-- CreateTable
CREATE TABLE "CacheInstance" (
    "id" TEXT NOT NULL,
    "heartbeatAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CacheInstance_pkey" PRIMARY KEY ("id")
);

-- Change notifications for the in-memory key caches (src/server/auth/principal-changes.ts,
-- docs/decisions/008-key-cache.md). A row that a principal is built from (the key, its owner's membership, the
-- owner, the workspace) was changed or deleted: NOTIFY heyoo_principal with what the caches must drop. NOTIFY is
-- transactional, so a rolled-back change notifies nobody, and listeners get notifications in commit order.
-- Updates that change nothing a principal shows (a key's name or last-used time, a password) stay silent.
-- Cascades fire these too: deleting a user deletes its memberships, which delete its keys.

CREATE FUNCTION "heyoo_notify_api_key_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('heyoo_principal', 'k:' || OLD."id");
  RETURN NULL;
END $$;

CREATE FUNCTION "heyoo_notify_membership_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('heyoo_principal', 'm:' || OLD."workspaceId" || ':' || OLD."userId");
  RETURN NULL;
END $$;

CREATE FUNCTION "heyoo_notify_user_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('heyoo_principal', 'u:' || OLD."id");
  RETURN NULL;
END $$;

CREATE FUNCTION "heyoo_notify_workspace_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('heyoo_principal', 'w:' || OLD."id");
  RETURN NULL;
END $$;

CREATE FUNCTION "heyoo_notify_all_principals"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('heyoo_principal', '*');
  RETURN NULL;
END $$;

CREATE TRIGGER "ApiKey_principal_delete" AFTER DELETE ON "ApiKey"
  FOR EACH ROW EXECUTE FUNCTION "heyoo_notify_api_key_change"();
CREATE TRIGGER "ApiKey_principal_update" AFTER UPDATE ON "ApiKey"
  FOR EACH ROW WHEN (
    OLD."hashedKey" IS DISTINCT FROM NEW."hashedKey" OR OLD."kind" IS DISTINCT FROM NEW."kind"
    OR OLD."permissions" IS DISTINCT FROM NEW."permissions" OR OLD."expiresAt" IS DISTINCT FROM NEW."expiresAt"
    OR OLD."ownerId" IS DISTINCT FROM NEW."ownerId" OR OLD."workspaceId" IS DISTINCT FROM NEW."workspaceId"
  ) EXECUTE FUNCTION "heyoo_notify_api_key_change"();

CREATE TRIGGER "Membership_principal_delete" AFTER DELETE ON "Membership"
  FOR EACH ROW EXECUTE FUNCTION "heyoo_notify_membership_change"();
CREATE TRIGGER "Membership_principal_update" AFTER UPDATE ON "Membership"
  FOR EACH ROW WHEN (
    OLD."role" IS DISTINCT FROM NEW."role" OR OLD."userId" IS DISTINCT FROM NEW."userId"
    OR OLD."workspaceId" IS DISTINCT FROM NEW."workspaceId"
  ) EXECUTE FUNCTION "heyoo_notify_membership_change"();

CREATE TRIGGER "User_principal_delete" AFTER DELETE ON "User"
  FOR EACH ROW EXECUTE FUNCTION "heyoo_notify_user_change"();
CREATE TRIGGER "User_principal_update" AFTER UPDATE ON "User"
  FOR EACH ROW WHEN (
    OLD."name" IS DISTINCT FROM NEW."name" OR OLD."email" IS DISTINCT FROM NEW."email"
    OR OLD."isMachine" IS DISTINCT FROM NEW."isMachine"
  ) EXECUTE FUNCTION "heyoo_notify_user_change"();

CREATE TRIGGER "Workspace_principal_delete" AFTER DELETE ON "Workspace"
  FOR EACH ROW EXECUTE FUNCTION "heyoo_notify_workspace_change"();
CREATE TRIGGER "Workspace_principal_update" AFTER UPDATE ON "Workspace"
  FOR EACH ROW WHEN (OLD."name" IS DISTINCT FROM NEW."name" OR OLD."slug" IS DISTINCT FROM NEW."slug")
  EXECUTE FUNCTION "heyoo_notify_workspace_change"();

CREATE TRIGGER "ApiKey_principal_truncate" AFTER TRUNCATE ON "ApiKey"
  FOR EACH STATEMENT EXECUTE FUNCTION "heyoo_notify_all_principals"();
CREATE TRIGGER "Membership_principal_truncate" AFTER TRUNCATE ON "Membership"
  FOR EACH STATEMENT EXECUTE FUNCTION "heyoo_notify_all_principals"();
CREATE TRIGGER "User_principal_truncate" AFTER TRUNCATE ON "User"
  FOR EACH STATEMENT EXECUTE FUNCTION "heyoo_notify_all_principals"();
CREATE TRIGGER "Workspace_principal_truncate" AFTER TRUNCATE ON "Workspace"
  FOR EACH STATEMENT EXECUTE FUNCTION "heyoo_notify_all_principals"();
