-- AlterTable
ALTER TABLE "exclusions" ADD COLUMN     "schedule_id" UUID;

-- CreateTable
CREATE TABLE "exclusion_schedules" (
    "id" UUID NOT NULL,
    "team_id" UUID NOT NULL,
    "service_id" UUID,
    "sli_id" UUID,
    "label_key" TEXT,
    "label_value" TEXT,
    "kind" "ExclusionKind" NOT NULL,
    "reason" TEXT NOT NULL,
    "rrule" TEXT NOT NULL,
    "dtstart" TEXT NOT NULL,
    "time_zone" TEXT NOT NULL,
    "duration_minutes" INTEGER NOT NULL,
    "edited_at" TIMESTAMPTZ(3),
    "created_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "exclusion_schedules_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "exclusion_schedules_team_id_idx" ON "exclusion_schedules"("team_id");

-- CreateIndex
CREATE INDEX "exclusions_schedule_id_starts_at_idx" ON "exclusions"("schedule_id", "starts_at");

-- AddForeignKey
ALTER TABLE "exclusions" ADD CONSTRAINT "exclusions_schedule_id_fkey" FOREIGN KEY ("schedule_id") REFERENCES "exclusion_schedules"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "exclusion_schedules" ADD CONSTRAINT "exclusion_schedules_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "exclusion_schedules" ADD CONSTRAINT "exclusion_schedules_service_id_fkey" FOREIGN KEY ("service_id") REFERENCES "services"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "exclusion_schedules" ADD CONSTRAINT "exclusion_schedules_sli_id_fkey" FOREIGN KEY ("sli_id") REFERENCES "slis"("id") ON DELETE CASCADE ON UPDATE CASCADE;
