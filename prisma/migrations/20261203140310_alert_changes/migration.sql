-- CreateTable
CREATE TABLE "slo_alert_changes" (
    "id" UUID NOT NULL,
    "slo_id" UUID NOT NULL,
    "from_state" TEXT NOT NULL,
    "to_state" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "burn_rates" JSONB NOT NULL,
    "remaining" DOUBLE PRECISION,

    CONSTRAINT "slo_alert_changes_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "slo_alert_changes_slo_id_at_idx" ON "slo_alert_changes"("slo_id", "at" DESC);

-- AddForeignKey
ALTER TABLE "slo_alert_changes" ADD CONSTRAINT "slo_alert_changes_slo_id_fkey" FOREIGN KEY ("slo_id") REFERENCES "slos"("id") ON DELETE CASCADE ON UPDATE CASCADE;
