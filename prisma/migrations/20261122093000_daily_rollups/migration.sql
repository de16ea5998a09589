-- Sums of sli_buckets per UTC day, kept in step with the hourly rollup by every write: a 30-day
-- window reads 30 rows, plus hour and minute edges.
CREATE TABLE "sli_buckets_daily" (
    "sli_id" UUID NOT NULL,
    "day" TIMESTAMPTZ(0) NOT NULL,
    "good" BIGINT NOT NULL,
    "total" BIGINT NOT NULL,

    CONSTRAINT "sli_buckets_daily_pkey" PRIMARY KEY ("sli_id","day")
);

ALTER TABLE "sli_buckets_daily" ADD CONSTRAINT "sli_buckets_daily_sli_id_fkey" FOREIGN KEY ("sli_id") REFERENCES "slis"("id") ON DELETE CASCADE ON UPDATE CASCADE;

INSERT INTO "sli_buckets_daily" ("sli_id", "day", "good", "total")
SELECT "sli_id", date_trunc('day', "hour", 'UTC'), sum("good"), sum("total")
FROM "sli_buckets_hourly" GROUP BY 1, 2;
