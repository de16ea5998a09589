-- AlterTable
ALTER TABLE "slis" ADD COLUMN     "backfill_from" TIMESTAMPTZ(0),
ADD COLUMN     "last_sync_at" TIMESTAMPTZ(3),
ADD COLUMN     "last_sync_error" TEXT,
ADD COLUMN     "prom_auth_header" TEXT,
ADD COLUMN     "prom_bad_query" TEXT,
ADD COLUMN     "prom_good_query" TEXT,
ADD COLUMN     "prom_total_query" TEXT,
ADD COLUMN     "prom_url" TEXT,
ADD COLUMN     "synced_until" TIMESTAMPTZ(0);
