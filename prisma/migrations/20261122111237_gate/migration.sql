/*
  Warnings:

  - A unique constraint covering the columns `[team_id,github_repository]` on the table `services` will be added. If there are existing duplicate values, this will fail.

*/
-- AlterTable
ALTER TABLE "services" ADD COLUMN     "github_repository" TEXT;

-- CreateTable
CREATE TABLE "policy_versions" (
    "id" UUID NOT NULL,
    "team_id" UUID NOT NULL,
    "service_id" UUID,
    "scope" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "body" JSONB,
    "created_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "policy_versions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "gate_decisions" (
    "id" UUID NOT NULL,
    "team_id" UUID NOT NULL,
    "service_id" UUID,
    "service_name" TEXT NOT NULL,
    "environment" TEXT NOT NULL,
    "version" TEXT NOT NULL,
    "commit" TEXT,
    "change_type" TEXT NOT NULL,
    "requester" TEXT NOT NULL,
    "link" TEXT,
    "source" TEXT NOT NULL,
    "token_id" UUID,
    "decision" TEXT NOT NULL,
    "tier" TEXT NOT NULL,
    "reasons" JSONB NOT NULL,
    "numbers" JSONB NOT NULL,
    "policy_scope" TEXT NOT NULL,
    "policy_version" INTEGER NOT NULL,
    "override_id" UUID,
    "freeze_id" UUID,
    "delivery_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "gate_decisions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "gate_overrides" (
    "id" UUID NOT NULL,
    "team_id" UUID NOT NULL,
    "service_id" UUID NOT NULL,
    "environment" TEXT,
    "reason" TEXT NOT NULL,
    "approved_by" TEXT NOT NULL,
    "escalated_to" TEXT,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "granted_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "gate_overrides_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "freezes" (
    "id" UUID NOT NULL,
    "team_id" UUID NOT NULL,
    "service_id" UUID,
    "environment" TEXT,
    "reason" TEXT NOT NULL,
    "starts_at" TIMESTAMPTZ(3) NOT NULL,
    "ends_at" TIMESTAMPTZ(3) NOT NULL,
    "created_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "cancelled_at" TIMESTAMPTZ(3),

    CONSTRAINT "freezes_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "service_tier_states" (
    "service_id" UUID NOT NULL,
    "tier" TEXT NOT NULL,
    "changed_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "service_tier_states_pkey" PRIMARY KEY ("service_id")
);

-- CreateTable
CREATE TABLE "github_integrations" (
    "team_id" UUID NOT NULL,
    "app_id" TEXT NOT NULL,
    "private_key" TEXT NOT NULL,
    "webhook_secret" TEXT NOT NULL,
    "api_url" TEXT NOT NULL,
    "default_change_type" TEXT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "github_integrations_pkey" PRIMARY KEY ("team_id")
);

-- CreateIndex
CREATE UNIQUE INDEX "policy_versions_team_id_scope_version_key" ON "policy_versions"("team_id", "scope", "version");

-- CreateIndex
CREATE INDEX "gate_decisions_team_id_created_at_idx" ON "gate_decisions"("team_id", "created_at" DESC);

-- CreateIndex
CREATE INDEX "gate_decisions_service_id_created_at_idx" ON "gate_decisions"("service_id", "created_at" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "gate_decisions_team_id_delivery_id_key" ON "gate_decisions"("team_id", "delivery_id");

-- CreateIndex
CREATE INDEX "gate_overrides_service_id_expires_at_idx" ON "gate_overrides"("service_id", "expires_at");

-- CreateIndex
CREATE INDEX "gate_overrides_team_id_expires_at_idx" ON "gate_overrides"("team_id", "expires_at");

-- CreateIndex
CREATE INDEX "freezes_team_id_ends_at_idx" ON "freezes"("team_id", "ends_at");

-- CreateIndex
CREATE UNIQUE INDEX "services_team_id_github_repository_key" ON "services"("team_id", "github_repository");

-- AddForeignKey
ALTER TABLE "policy_versions" ADD CONSTRAINT "policy_versions_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "policy_versions" ADD CONSTRAINT "policy_versions_service_id_fkey" FOREIGN KEY ("service_id") REFERENCES "services"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "policy_versions" ADD CONSTRAINT "policy_versions_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "gate_decisions" ADD CONSTRAINT "gate_decisions_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "gate_decisions" ADD CONSTRAINT "gate_decisions_service_id_fkey" FOREIGN KEY ("service_id") REFERENCES "services"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "gate_overrides" ADD CONSTRAINT "gate_overrides_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "gate_overrides" ADD CONSTRAINT "gate_overrides_service_id_fkey" FOREIGN KEY ("service_id") REFERENCES "services"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "gate_overrides" ADD CONSTRAINT "gate_overrides_granted_by_id_fkey" FOREIGN KEY ("granted_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "freezes" ADD CONSTRAINT "freezes_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "freezes" ADD CONSTRAINT "freezes_service_id_fkey" FOREIGN KEY ("service_id") REFERENCES "services"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "freezes" ADD CONSTRAINT "freezes_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "service_tier_states" ADD CONSTRAINT "service_tier_states_service_id_fkey" FOREIGN KEY ("service_id") REFERENCES "services"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "github_integrations" ADD CONSTRAINT "github_integrations_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE CASCADE ON UPDATE CASCADE;
