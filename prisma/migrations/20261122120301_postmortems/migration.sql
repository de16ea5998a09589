-- CreateEnum
CREATE TYPE "PostmortemStatus" AS ENUM ('draft', 'in_review', 'published');

-- AlterTable
ALTER TABLE "incidents" ADD COLUMN     "postmortem_required" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "roles" JSONB NOT NULL DEFAULT '{}',
ADD COLUMN     "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- CreateTable
CREATE TABLE "incident_slos" (
    "incident_id" UUID NOT NULL,
    "slo_id" UUID NOT NULL,

    CONSTRAINT "incident_slos_pkey" PRIMARY KEY ("incident_id","slo_id")
);

-- CreateTable
CREATE TABLE "timeline_entries" (
    "id" UUID NOT NULL,
    "incident_id" UUID NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "kind" TEXT NOT NULL,
    "text" TEXT NOT NULL,

    CONSTRAINT "timeline_entries_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "postmortems" (
    "id" UUID NOT NULL,
    "team_id" UUID NOT NULL,
    "incident_id" UUID,
    "title" TEXT NOT NULL,
    "status" "PostmortemStatus" NOT NULL DEFAULT 'draft',
    "sections" JSONB NOT NULL,
    "revision" INTEGER NOT NULL DEFAULT 1,
    "created_by_id" UUID,
    "updated_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "published_at" TIMESTAMPTZ(3),

    CONSTRAINT "postmortems_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "postmortem_reviews" (
    "id" UUID NOT NULL,
    "postmortem_id" UUID NOT NULL,
    "reviewer_id" UUID,
    "decision" TEXT NOT NULL,
    "comment" TEXT NOT NULL DEFAULT '',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "postmortem_reviews_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "action_items" (
    "id" UUID NOT NULL,
    "team_id" UUID NOT NULL,
    "postmortem_id" UUID NOT NULL,
    "title" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "priority" TEXT NOT NULL,
    "owner_id" UUID,
    "due_date" DATE,
    "status" TEXT NOT NULL DEFAULT 'open',
    "wont_do_reason" TEXT,
    "ticket_url" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completed_at" TIMESTAMPTZ(3),
    "overdue_notified_on" DATE,

    CONSTRAINT "action_items_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "postmortem_templates" (
    "id" UUID NOT NULL,
    "team_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "sections" JSONB NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "postmortem_templates_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "incident_slos_slo_id_idx" ON "incident_slos"("slo_id");

-- CreateIndex
CREATE INDEX "timeline_entries_incident_id_at_idx" ON "timeline_entries"("incident_id", "at");

-- CreateIndex
CREATE UNIQUE INDEX "postmortems_incident_id_key" ON "postmortems"("incident_id");

-- CreateIndex
CREATE INDEX "postmortems_team_id_updated_at_idx" ON "postmortems"("team_id", "updated_at");

-- CreateIndex
CREATE INDEX "postmortem_reviews_postmortem_id_idx" ON "postmortem_reviews"("postmortem_id");

-- CreateIndex
CREATE INDEX "action_items_team_id_status_idx" ON "action_items"("team_id", "status");

-- CreateIndex
CREATE INDEX "action_items_owner_id_status_idx" ON "action_items"("owner_id", "status");

-- CreateIndex
CREATE INDEX "action_items_postmortem_id_idx" ON "action_items"("postmortem_id");

-- CreateIndex
CREATE UNIQUE INDEX "postmortem_templates_team_id_name_key" ON "postmortem_templates"("team_id", "name");

-- AddForeignKey
ALTER TABLE "incident_slos" ADD CONSTRAINT "incident_slos_incident_id_fkey" FOREIGN KEY ("incident_id") REFERENCES "incidents"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "incident_slos" ADD CONSTRAINT "incident_slos_slo_id_fkey" FOREIGN KEY ("slo_id") REFERENCES "slos"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "timeline_entries" ADD CONSTRAINT "timeline_entries_incident_id_fkey" FOREIGN KEY ("incident_id") REFERENCES "incidents"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "postmortems" ADD CONSTRAINT "postmortems_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "postmortems" ADD CONSTRAINT "postmortems_incident_id_fkey" FOREIGN KEY ("incident_id") REFERENCES "incidents"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "postmortem_reviews" ADD CONSTRAINT "postmortem_reviews_postmortem_id_fkey" FOREIGN KEY ("postmortem_id") REFERENCES "postmortems"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "postmortem_reviews" ADD CONSTRAINT "postmortem_reviews_reviewer_id_fkey" FOREIGN KEY ("reviewer_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "action_items" ADD CONSTRAINT "action_items_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "action_items" ADD CONSTRAINT "action_items_postmortem_id_fkey" FOREIGN KEY ("postmortem_id") REFERENCES "postmortems"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "action_items" ADD CONSTRAINT "action_items_owner_id_fkey" FOREIGN KEY ("owner_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "postmortem_templates" ADD CONSTRAINT "postmortem_templates_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE CASCADE ON UPDATE CASCADE;
