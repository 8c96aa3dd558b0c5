-- CreateTable
CREATE TABLE "CampaignEventRollup" (
    "workspaceId" TEXT NOT NULL,
    "campaignId" TEXT NOT NULL,
    "seconds" INTEGER NOT NULL,
    "bucketStart" TIMESTAMP(3) NOT NULL,
    "sent" BIGINT NOT NULL DEFAULT 0,
    "opened" BIGINT NOT NULL DEFAULT 0,
    "clicked" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "CampaignEventRollup_pkey" PRIMARY KEY ("workspaceId","campaignId","seconds","bucketStart")
);

-- CreateIndex
CREATE INDEX "CampaignEventRollup_workspaceId_seconds_bucketStart_idx" ON "CampaignEventRollup"("workspaceId", "seconds", "bucketStart");

-- AddForeignKey
ALTER TABLE "CampaignEventRollup" ADD CONSTRAINT "CampaignEventRollup_workspaceId_campaignId_fkey" FOREIGN KEY ("workspaceId", "campaignId") REFERENCES "Campaign"("workspaceId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Keeping the rollups (docs/decisions/009-analytics-rollups.md). Statement-level triggers see every row a
-- statement inserted, deleted or changed (its transition table) and fold them into the rollups in the same
-- transaction, whoever wrote them: the API, a seed script or a cascade. One upsert per statement, not per row.
-- The upsert visits its rows in key order, so two concurrent batches lock shared rows in the same order and
-- cannot deadlock each other; ON CONFLICT ... DO UPDATE waits for the other's row lock and then adds to the
-- committed count, so concurrent batches each count once.
CREATE FUNCTION "campaign_event_rollup_add"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "CampaignEventRollup" AS r ("workspaceId", "campaignId", "seconds", "bucketStart", "sent", "opened", "clicked")
  SELECT e."workspaceId", e."campaignId", l."seconds",
         date_bin(make_interval(secs => l."seconds"), e."occurredAt", TIMESTAMP '2000-01-01'),
         count(*) FILTER (WHERE e."type" = 'sent'),
         count(*) FILTER (WHERE e."type" = 'opened'),
         count(*) FILTER (WHERE e."type" = 'clicked')
  FROM "new_events" e CROSS JOIN (VALUES (900), (3600), (86400)) AS l("seconds")
  GROUP BY 1, 2, 3, 4
  ORDER BY 1, 2, 3, 4
  ON CONFLICT ("workspaceId", "campaignId", "seconds", "bucketStart") DO UPDATE
    SET "sent" = r."sent" + EXCLUDED."sent", "opened" = r."opened" + EXCLUDED."opened", "clicked" = r."clicked" + EXCLUDED."clicked";
  RETURN NULL;
END $$;

-- Events are never deleted one by one today, only with their campaign or workspace (whose rollups go by the
-- same cascade); subtracting keeps the rollups exact for any other DELETE or UPDATE too.
CREATE FUNCTION "campaign_event_rollup_subtract"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "CampaignEventRollup" AS r
     SET "sent" = r."sent" - o."sent", "opened" = r."opened" - o."opened", "clicked" = r."clicked" - o."clicked"
    FROM (
      SELECT e."workspaceId", e."campaignId", l."seconds",
             date_bin(make_interval(secs => l."seconds"), e."occurredAt", TIMESTAMP '2000-01-01') AS "bucketStart",
             count(*) FILTER (WHERE e."type" = 'sent') AS "sent",
             count(*) FILTER (WHERE e."type" = 'opened') AS "opened",
             count(*) FILTER (WHERE e."type" = 'clicked') AS "clicked"
      FROM "old_events" e CROSS JOIN (VALUES (900), (3600), (86400)) AS l("seconds")
      GROUP BY 1, 2, 3, 4
    ) o
   WHERE r."workspaceId" = o."workspaceId" AND r."campaignId" = o."campaignId" AND r."seconds" = o."seconds" AND r."bucketStart" = o."bucketStart";
  RETURN NULL;
END $$;

-- CREATE TRIGGER locks CampaignEvent against writes until this migration commits, so the backfill below sees
-- every event committed before it and the triggers every event after: none is missed or counted twice. (Both
-- migration runners apply a file in one transaction: ours explicitly, Prisma's as one multi-statement query.)
CREATE TRIGGER "campaign_event_rollup_insert" AFTER INSERT ON "CampaignEvent"
  REFERENCING NEW TABLE AS "new_events" FOR EACH STATEMENT EXECUTE FUNCTION "campaign_event_rollup_add"();
CREATE TRIGGER "campaign_event_rollup_delete" AFTER DELETE ON "CampaignEvent"
  REFERENCING OLD TABLE AS "old_events" FOR EACH STATEMENT EXECUTE FUNCTION "campaign_event_rollup_subtract"();
-- An UPDATE is a DELETE of the old rows and an INSERT of the new ones (two triggers: PostgreSQL allows one
-- transition-table event per trigger).
CREATE TRIGGER "campaign_event_rollup_update_old" AFTER UPDATE ON "CampaignEvent"
  REFERENCING OLD TABLE AS "old_events" FOR EACH STATEMENT EXECUTE FUNCTION "campaign_event_rollup_subtract"();
CREATE TRIGGER "campaign_event_rollup_update_new" AFTER UPDATE ON "CampaignEvent"
  REFERENCING NEW TABLE AS "new_events" FOR EACH STATEMENT EXECUTE FUNCTION "campaign_event_rollup_add"();

-- Backfill: the events recorded before this migration.
INSERT INTO "CampaignEventRollup" ("workspaceId", "campaignId", "seconds", "bucketStart", "sent", "opened", "clicked")
SELECT e."workspaceId", e."campaignId", l."seconds",
       date_bin(make_interval(secs => l."seconds"), e."occurredAt", TIMESTAMP '2000-01-01'),
       count(*) FILTER (WHERE e."type" = 'sent'),
       count(*) FILTER (WHERE e."type" = 'opened'),
       count(*) FILTER (WHERE e."type" = 'clicked')
FROM "CampaignEvent" e CROSS JOIN (VALUES (900), (3600), (86400)) AS l("seconds")
GROUP BY 1, 2, 3, 4;
