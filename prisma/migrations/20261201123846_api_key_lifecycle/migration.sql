-- CreateEnum
CREATE TYPE "AuditActorType" AS ENUM ('user', 'api_key', 'system', 'scanner');

-- AlterTable
ALTER TABLE "ApiKey" ADD COLUMN     "ipAllowlist" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "leakSource" TEXT,
ADD COLUMN     "leakUrl" TEXT,
ADD COLUMN     "leakedAt" TIMESTAMP(3),
ADD COLUMN     "replacedById" TEXT,
ADD COLUMN     "requestCount" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "requestCountAtRoll" INTEGER,
ADD COLUMN     "rolledAt" TIMESTAMP(3),
ADD COLUMN     "stopsAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "AuditEvent" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "actorType" "AuditActorType" NOT NULL,
    "actorId" TEXT,
    "actorName" TEXT,
    "targetType" TEXT NOT NULL,
    "targetId" TEXT NOT NULL,
    "targetName" TEXT,
    "ipAddress" TEXT,
    "userAgent" TEXT,
    "changes" JSONB,
    "occurredAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AuditEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "AuditEvent_workspaceId_occurredAt_id_idx" ON "AuditEvent"("workspaceId", "occurredAt", "id");

-- CreateIndex
CREATE INDEX "AuditEvent_workspaceId_targetId_occurredAt_idx" ON "AuditEvent"("workspaceId", "targetId", "occurredAt");

-- CreateIndex
CREATE UNIQUE INDEX "ApiKey_replacedById_key" ON "ApiKey"("replacedById");

-- AddForeignKey
ALTER TABLE "ApiKey" ADD CONSTRAINT "ApiKey_replacedById_fkey" FOREIGN KEY ("replacedById") REFERENCES "ApiKey"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AuditEvent" ADD CONSTRAINT "AuditEvent_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- A lapse (a key passing its expiry, or the end of a rolled key's grace period) is recorded by whichever
-- instance notices it first (src/server/audit/lapses.ts); the others' inserts find this and do nothing.
CREATE UNIQUE INDEX "AuditEvent_lapse_once" ON "AuditEvent"("targetId", "action", "occurredAt")
  WHERE "action" IN ('api_key.expired', 'api_key.stopped');

-- The key caches (src/server/auth/principal-changes.ts) hold a key's allowlist, the end of its grace period and
-- whether it leaked: a change to any of them must reach every instance like a change of permissions.
DROP TRIGGER "ApiKey_principal_update" ON "ApiKey";
CREATE TRIGGER "ApiKey_principal_update" AFTER UPDATE ON "ApiKey"
  FOR EACH ROW WHEN (
    OLD."hashedKey" IS DISTINCT FROM NEW."hashedKey" OR OLD."kind" IS DISTINCT FROM NEW."kind"
    OR OLD."permissions" IS DISTINCT FROM NEW."permissions" OR OLD."expiresAt" IS DISTINCT FROM NEW."expiresAt"
    OR OLD."ownerId" IS DISTINCT FROM NEW."ownerId" OR OLD."workspaceId" IS DISTINCT FROM NEW."workspaceId"
    OR OLD."ipAllowlist" IS DISTINCT FROM NEW."ipAllowlist" OR OLD."stopsAt" IS DISTINCT FROM NEW."stopsAt"
    OR OLD."rolledAt" IS DISTINCT FROM NEW."rolledAt" OR OLD."leakedAt" IS DISTINCT FROM NEW."leakedAt"
  ) EXECUTE FUNCTION "heyoo_notify_api_key_change"();
