-- AlterTable
ALTER TABLE "teams" ADD COLUMN     "time_zone" TEXT NOT NULL DEFAULT 'UTC';

-- CreateTable
CREATE TABLE "error_budget_reviews" (
    "id" UUID NOT NULL,
    "team_id" UUID NOT NULL,
    "service_id" UUID,
    "scope" TEXT NOT NULL,
    "period" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'draft',
    "notes" TEXT NOT NULL DEFAULT '',
    "decisions" JSONB NOT NULL DEFAULT '[]',
    "revision" INTEGER NOT NULL DEFAULT 1,
    "held_at" TIMESTAMPTZ(3),
    "held_by_id" UUID,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "error_budget_reviews_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "review_notices" (
    "team_id" UUID NOT NULL,
    "period" TEXT NOT NULL,
    "posted_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "review_notices_pkey" PRIMARY KEY ("team_id","period")
);

-- CreateIndex
CREATE UNIQUE INDEX "error_budget_reviews_team_id_scope_period_key" ON "error_budget_reviews"("team_id", "scope", "period");

-- AddForeignKey
ALTER TABLE "error_budget_reviews" ADD CONSTRAINT "error_budget_reviews_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "error_budget_reviews" ADD CONSTRAINT "error_budget_reviews_service_id_fkey" FOREIGN KEY ("service_id") REFERENCES "services"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "error_budget_reviews" ADD CONSTRAINT "error_budget_reviews_held_by_id_fkey" FOREIGN KEY ("held_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "review_notices" ADD CONSTRAINT "review_notices_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- A review is a draft or held; held ones say when.
ALTER TABLE "error_budget_reviews" ADD CONSTRAINT "error_budget_reviews_status_check" CHECK ("status" IN ('draft', 'held') AND ("status" = 'draft' OR "held_at" IS NOT NULL));
