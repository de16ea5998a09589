-- Minute buckets become a table partitioned by week (Monday 00:00 UTC), so old minute data is
-- dropped a partition at a time (a catalog change, no row deletes, no bloat). The partitions
-- live in their own schema, out of Prisma's sight: Prisma cannot describe partitions and would
-- otherwise try to drop them in the next generated migration.
CREATE SCHEMA IF NOT EXISTS "burnrate_partitions";

-- Creates the missing weekly partitions covering [from, to). Serialised by an advisory lock,
-- so replicas writing the same new week do not race on CREATE TABLE.
CREATE FUNCTION "burnrate_ensure_bucket_partitions"("from" timestamptz, "to" timestamptz) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  week timestamptz := date_trunc('week', "from" AT TIME ZONE 'UTC') AT TIME ZONE 'UTC';
  name text;
  created integer := 0;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended('burnrate_bucket_partitions', 0));
  WHILE week < "to" LOOP
    name := 'sli_buckets_' || to_char(week AT TIME ZONE 'UTC', 'YYYYMMDD');
    IF to_regclass(format('%I.%I', 'burnrate_partitions', name)) IS NULL THEN
      EXECUTE format('CREATE TABLE %I.%I PARTITION OF "sli_buckets" FOR VALUES FROM (%L) TO (%L)',
        'burnrate_partitions', name, week, week + interval '7 days');
      created := created + 1;
    END IF;
    week := week + interval '7 days';
  END LOOP;
  RETURN created;
END $$;

ALTER TABLE "sli_buckets" RENAME TO "sli_buckets_unpartitioned";
ALTER TABLE "sli_buckets_unpartitioned" DROP CONSTRAINT "sli_buckets_sli_id_fkey";
ALTER TABLE "sli_buckets_unpartitioned" RENAME CONSTRAINT "sli_buckets_pkey" TO "sli_buckets_unpartitioned_pkey";

CREATE TABLE "sli_buckets" (
    "sli_id" UUID NOT NULL,
    "minute" TIMESTAMPTZ(0) NOT NULL,
    "good" BIGINT NOT NULL,
    "total" BIGINT NOT NULL,

    CONSTRAINT "sli_buckets_pkey" PRIMARY KEY ("sli_id","minute")
) PARTITION BY RANGE ("minute");

-- No foreign key to slis: its check, one lookup per inserted row, doubled the cost of ingestion.
-- Writers lock the SLI rows once per batch instead (lib/server/sli-data.ts), and deleting an SLI
-- deletes its buckets here, after waiting for any writer of that SLI.
CREATE FUNCTION "burnrate_delete_sli_buckets"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended(OLD."id"::text, 7));
  DELETE FROM "sli_buckets" WHERE "sli_id" = OLD."id";
  RETURN OLD;
END $$;

CREATE TRIGGER "slis_delete_buckets" AFTER DELETE ON "slis"
FOR EACH ROW EXECUTE FUNCTION "burnrate_delete_sli_buckets"();

-- Existing data moves over, into the partitions its weeks need.
SELECT "burnrate_ensure_bucket_partitions"(min("minute"), max("minute") + interval '1 minute')
FROM "sli_buckets_unpartitioned" HAVING count(*) > 0;
INSERT INTO "sli_buckets" SELECT * FROM "sli_buckets_unpartitioned";
DROP TABLE "sli_buckets_unpartitioned";
