-- AlterTable
ALTER TABLE "ApiKey" ADD COLUMN     "lastUsedIp" TEXT,
ADD COLUMN     "lastUsedUserAgent" TEXT;

-- CreateTable
CREATE TABLE "ApiKeyUsage" (
    "apiKeyId" TEXT NOT NULL,
    "hour" TIMESTAMP(3) NOT NULL,
    "operation" TEXT NOT NULL,
    "statusClass" SMALLINT NOT NULL,
    "requests" INTEGER NOT NULL,
    "refused" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "ApiKeyUsage_pkey" PRIMARY KEY ("apiKeyId","hour","operation","statusClass")
);

-- CreateIndex
CREATE INDEX "ApiKeyUsage_hour_idx" ON "ApiKeyUsage"("hour");

-- AddForeignKey
ALTER TABLE "ApiKeyUsage" ADD CONSTRAINT "ApiKeyUsage_apiKeyId_fkey" FOREIGN KEY ("apiKeyId") REFERENCES "ApiKey"("id") ON DELETE CASCADE ON UPDATE CASCADE;
