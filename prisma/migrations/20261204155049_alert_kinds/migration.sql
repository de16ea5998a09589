-- AlterTable
ALTER TABLE "slo_alert_states" ADD COLUMN     "budget_below" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "data_state" TEXT;
