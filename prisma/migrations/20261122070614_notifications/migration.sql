-- CreateEnum
CREATE TYPE "ChannelKind" AS ENUM ('slack', 'pagerduty');

-- CreateTable
CREATE TABLE "slo_alert_states" (
    "slo_id" UUID NOT NULL,
    "state" TEXT NOT NULL,
    "changed_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "slo_alert_states_pkey" PRIMARY KEY ("slo_id")
);

-- CreateTable
CREATE TABLE "notification_channels" (
    "id" UUID NOT NULL,
    "team_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "ChannelKind" NOT NULL,
    "url" TEXT NOT NULL,
    "routing_key" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "notification_channels_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "notification_channels_team_id_idx" ON "notification_channels"("team_id");

-- AddForeignKey
ALTER TABLE "slo_alert_states" ADD CONSTRAINT "slo_alert_states_slo_id_fkey" FOREIGN KEY ("slo_id") REFERENCES "slos"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notification_channels" ADD CONSTRAINT "notification_channels_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE CASCADE ON UPDATE CASCADE;
