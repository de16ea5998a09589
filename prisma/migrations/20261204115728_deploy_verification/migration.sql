-- AlterTable
ALTER TABLE "slis" ADD COLUMN     "prom_cohort_label" TEXT;

-- CreateTable
CREATE TABLE "sli_cohorts" (
    "id" UUID NOT NULL,
    "sli_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "sli_cohorts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sli_cohort_buckets" (
    "cohort_id" UUID NOT NULL,
    "minute" TIMESTAMPTZ(0) NOT NULL,
    "good" BIGINT NOT NULL,
    "total" BIGINT NOT NULL,

    CONSTRAINT "sli_cohort_buckets_pkey" PRIMARY KEY ("cohort_id","minute")
);

-- CreateTable
CREATE TABLE "deploys" (
    "id" UUID NOT NULL,
    "team_id" UUID NOT NULL,
    "service_id" UUID NOT NULL,
    "environment" TEXT NOT NULL,
    "version" TEXT NOT NULL,
    "commit" TEXT,
    "link" TEXT,
    "deployed_at" TIMESTAMPTZ(3) NOT NULL,
    "decision_id" UUID,
    "source" TEXT NOT NULL DEFAULT 'api',
    "token_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "deploys_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "canary_analyses" (
    "id" UUID NOT NULL,
    "team_id" UUID NOT NULL,
    "service_id" UUID NOT NULL,
    "environment" TEXT NOT NULL DEFAULT 'production',
    "version" TEXT NOT NULL DEFAULT '',
    "canary" TEXT NOT NULL,
    "baseline" TEXT NOT NULL,
    "config" JSONB NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'running',
    "reasons" JSONB NOT NULL DEFAULT '[]',
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "next_run_at" TIMESTAMPTZ(3),
    "ended_at" TIMESTAMPTZ(3),
    "created_by_id" UUID,
    "token_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "canary_analyses_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "canary_intervals" (
    "analysis_id" UUID NOT NULL,
    "index" INTEGER NOT NULL,
    "from" TIMESTAMPTZ(0) NOT NULL,
    "to" TIMESTAMPTZ(0) NOT NULL,
    "score" DOUBLE PRECISION,
    "classification" TEXT NOT NULL,
    "result" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "canary_intervals_pkey" PRIMARY KEY ("analysis_id","index")
);

-- CreateIndex
CREATE INDEX "sli_cohorts_expires_at_idx" ON "sli_cohorts"("expires_at");

-- CreateIndex
CREATE UNIQUE INDEX "sli_cohorts_sli_id_name_key" ON "sli_cohorts"("sli_id", "name");

-- CreateIndex
CREATE INDEX "deploys_service_id_environment_deployed_at_idx" ON "deploys"("service_id", "environment", "deployed_at" DESC);

-- CreateIndex
CREATE INDEX "deploys_team_id_deployed_at_idx" ON "deploys"("team_id", "deployed_at" DESC);

-- CreateIndex
CREATE INDEX "canary_analyses_team_id_created_at_idx" ON "canary_analyses"("team_id", "created_at" DESC);

-- CreateIndex
CREATE INDEX "canary_analyses_status_next_run_at_idx" ON "canary_analyses"("status", "next_run_at");

-- AddForeignKey
ALTER TABLE "sli_cohorts" ADD CONSTRAINT "sli_cohorts_sli_id_fkey" FOREIGN KEY ("sli_id") REFERENCES "slis"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sli_cohort_buckets" ADD CONSTRAINT "sli_cohort_buckets_cohort_id_fkey" FOREIGN KEY ("cohort_id") REFERENCES "sli_cohorts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "deploys" ADD CONSTRAINT "deploys_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "deploys" ADD CONSTRAINT "deploys_service_id_fkey" FOREIGN KEY ("service_id") REFERENCES "services"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "deploys" ADD CONSTRAINT "deploys_decision_id_fkey" FOREIGN KEY ("decision_id") REFERENCES "gate_decisions"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "canary_analyses" ADD CONSTRAINT "canary_analyses_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "canary_analyses" ADD CONSTRAINT "canary_analyses_service_id_fkey" FOREIGN KEY ("service_id") REFERENCES "services"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "canary_intervals" ADD CONSTRAINT "canary_intervals_analysis_id_fkey" FOREIGN KEY ("analysis_id") REFERENCES "canary_analyses"("id") ON DELETE CASCADE ON UPDATE CASCADE;
