-- CreateIndex
CREATE INDEX "ApiKey_workspaceId_lastUsedAt_id_idx" ON "ApiKey"("workspaceId", "lastUsedAt", "id");

-- CreateIndex
CREATE INDEX "ApiKey_workspaceId_expiresAt_id_idx" ON "ApiKey"("workspaceId", "expiresAt", "id");
