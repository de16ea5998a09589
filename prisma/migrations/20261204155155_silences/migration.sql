-- AlterTable
ALTER TABLE "slo_alert_changes" ADD COLUMN     "folded_incident_id" UUID,
ADD COLUMN     "silence_id" UUID;

-- CreateTable
CREATE TABLE "silences" (
    "id" UUID NOT NULL,
    "team_id" UUID NOT NULL,
    "service_id" UUID,
    "slo_id" UUID,
    "label_key" TEXT,
    "label_value" TEXT,
    "reason" TEXT NOT NULL,
    "starts_at" TIMESTAMPTZ(3) NOT NULL,
    "ends_at" TIMESTAMPTZ(3) NOT NULL,
    "created_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "ended_by_id" UUID,
    "ended_at" TIMESTAMPTZ(3),

    CONSTRAINT "silences_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "silences_team_id_ends_at_idx" ON "silences"("team_id", "ends_at");

-- AddForeignKey
ALTER TABLE "silences" ADD CONSTRAINT "silences_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "silences" ADD CONSTRAINT "silences_service_id_fkey" FOREIGN KEY ("service_id") REFERENCES "services"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "silences" ADD CONSTRAINT "silences_slo_id_fkey" FOREIGN KEY ("slo_id") REFERENCES "slos"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "slo_alert_changes" ADD CONSTRAINT "slo_alert_changes_silence_id_fkey" FOREIGN KEY ("silence_id") REFERENCES "silences"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "slo_alert_changes" ADD CONSTRAINT "slo_alert_changes_folded_incident_id_fkey" FOREIGN KEY ("folded_incident_id") REFERENCES "incidents"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- A silence matches something (an SLO, a service or a label), names a label with its value, and does not end before it starts (a silence ended before it began is zero-length).
ALTER TABLE "silences" ADD CONSTRAINT "silences_scope_check" CHECK (
  (service_id IS NOT NULL OR slo_id IS NOT NULL OR label_key IS NOT NULL)
  AND ((label_key IS NULL) = (label_value IS NULL))
  AND ends_at >= starts_at
);

-- A state reached while silenced (or folded into an incident) is told once that no longer holds.
ALTER TABLE "slo_alert_states" ADD COLUMN "unsent" BOOLEAN NOT NULL DEFAULT false;
