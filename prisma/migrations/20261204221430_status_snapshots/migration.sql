-- AlterTable
ALTER TABLE "services" ADD COLUMN     "data_generation" BIGINT NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "slis" ADD COLUMN     "data_generation" BIGINT NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "slo_status_snapshots" (
    "slo_id" UUID NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "key" TEXT NOT NULL,
    "status" JSON NOT NULL,
    "remaining_by_day" JSON NOT NULL,

    CONSTRAINT "slo_status_snapshots_pkey" PRIMARY KEY ("slo_id")
);

-- AddForeignKey
ALTER TABLE "slo_status_snapshots" ADD CONSTRAINT "slo_status_snapshots_slo_id_fkey" FOREIGN KEY ("slo_id") REFERENCES "slos"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- A cache the evaluator rewrites every minute: not worth the WAL (lost on a crash, rebuilt in a minute).
ALTER TABLE "slo_status_snapshots" SET UNLOGGED;
