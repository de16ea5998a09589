-- CreateEnum
CREATE TYPE "ExclusionKind" AS ENUM ('maintenance', 'out_of_scope', 'company_wide_outage', 'dependency', 'load_test');

-- CreateEnum
CREATE TYPE "SliSource" AS ENUM ('push', 'prometheus');

-- AlterTable
ALTER TABLE "services" ADD COLUMN     "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- AlterTable
ALTER TABLE "slis" ADD COLUMN     "latency_threshold_ms" INTEGER,
ADD COLUMN     "slice_minutes" INTEGER,
ADD COLUMN     "slice_target" DECIMAL(9,8),
ADD COLUMN     "source" "SliSource" NOT NULL DEFAULT 'push',
ADD COLUMN     "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- AlterTable
ALTER TABLE "slos" ADD COLUMN     "description" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "min_events" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- CreateTable
CREATE TABLE "exclusions" (
    "id" UUID NOT NULL,
    "service_id" UUID NOT NULL,
    "sli_id" UUID,
    "kind" "ExclusionKind" NOT NULL,
    "reason" TEXT NOT NULL,
    "starts_at" TIMESTAMPTZ(0) NOT NULL,
    "ends_at" TIMESTAMPTZ(0) NOT NULL,
    "created_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "exclusions_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "exclusions_service_id_starts_at_idx" ON "exclusions"("service_id", "starts_at");

-- AddForeignKey
ALTER TABLE "exclusions" ADD CONSTRAINT "exclusions_service_id_fkey" FOREIGN KEY ("service_id") REFERENCES "services"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "exclusions" ADD CONSTRAINT "exclusions_sli_id_fkey" FOREIGN KEY ("sli_id") REFERENCES "slis"("id") ON DELETE CASCADE ON UPDATE CASCADE;
