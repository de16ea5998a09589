-- CreateTable
CREATE TABLE "sli_buckets_hourly" (
    "sli_id" UUID NOT NULL,
    "hour" TIMESTAMPTZ(0) NOT NULL,
    "good" BIGINT NOT NULL,
    "total" BIGINT NOT NULL,

    CONSTRAINT "sli_buckets_hourly_pkey" PRIMARY KEY ("sli_id","hour")
);

-- AddForeignKey
ALTER TABLE "sli_buckets_hourly" ADD CONSTRAINT "sli_buckets_hourly_sli_id_fkey" FOREIGN KEY ("sli_id") REFERENCES "slis"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Existing minute data: fill the rollup once.
INSERT INTO "sli_buckets_hourly" ("sli_id", "hour", "good", "total")
SELECT "sli_id", date_trunc('hour', "minute" AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', sum("good"), sum("total")
FROM "sli_buckets" GROUP BY 1, 2;
