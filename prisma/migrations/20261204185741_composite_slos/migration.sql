-- AlterEnum
ALTER TYPE "SliSource" ADD VALUE 'composite';

-- AlterTable
ALTER TABLE "slis" ADD COLUMN     "max_delay_minutes" INTEGER,
ADD COLUMN     "when_delayed" TEXT;

-- CreateTable
CREATE TABLE "composite_members" (
    "composite_slo_id" UUID NOT NULL,
    "member_slo_id" UUID NOT NULL,
    "weight" DECIMAL(12,6) NOT NULL,
    "position" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "composite_members_pkey" PRIMARY KEY ("composite_slo_id","member_slo_id")
);

-- CreateTable
CREATE TABLE "composite_gaps" (
    "sli_id" UUID NOT NULL,
    "minute" TIMESTAMPTZ(0) NOT NULL,
    "member_slo_id" UUID NOT NULL,

    CONSTRAINT "composite_gaps_pkey" PRIMARY KEY ("sli_id","minute","member_slo_id")
);

-- CreateIndex
CREATE INDEX "composite_members_member_slo_id_idx" ON "composite_members"("member_slo_id");

-- CreateIndex
CREATE INDEX "composite_gaps_member_slo_id_idx" ON "composite_gaps"("member_slo_id");

-- AddForeignKey
ALTER TABLE "composite_members" ADD CONSTRAINT "composite_members_composite_slo_id_fkey" FOREIGN KEY ("composite_slo_id") REFERENCES "slos"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "composite_members" ADD CONSTRAINT "composite_members_member_slo_id_fkey" FOREIGN KEY ("member_slo_id") REFERENCES "slos"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "composite_gaps" ADD CONSTRAINT "composite_gaps_sli_id_fkey" FOREIGN KEY ("sli_id") REFERENCES "slis"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "composite_gaps" ADD CONSTRAINT "composite_gaps_member_slo_id_fkey" FOREIGN KEY ("member_slo_id") REFERENCES "slos"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Hand-written (docs/composite-slos.md): weights are positive, a composite is not its own
-- member, the delay bound is 0..1440 minutes, and whenDelayed is one of the three modes.
ALTER TABLE "composite_members" ADD CONSTRAINT "composite_members_weight_check" CHECK ("weight" > 0);
ALTER TABLE "composite_members" ADD CONSTRAINT "composite_members_not_self_check" CHECK ("composite_slo_id" <> "member_slo_id");
ALTER TABLE "slis" ADD CONSTRAINT "slis_max_delay_minutes_check" CHECK ("max_delay_minutes" IS NULL OR "max_delay_minutes" BETWEEN 0 AND 1440);
ALTER TABLE "slis" ADD CONSTRAINT "slis_when_delayed_check" CHECK ("when_delayed" IS NULL OR "when_delayed" IN ('ignore', 'count_as_good', 'count_as_bad'));
