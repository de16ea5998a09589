-- CreateTable
CREATE TABLE "ticket_integrations" (
    "id" UUID NOT NULL,
    "team_id" UUID NOT NULL,
    "provider" TEXT NOT NULL,
    "base_url" TEXT NOT NULL,
    "email" TEXT NOT NULL DEFAULT '',
    "api_token" TEXT NOT NULL,
    "project" TEXT NOT NULL,
    "issue_type" TEXT NOT NULL DEFAULT '',
    "webhook_secret" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ticket_integrations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ticket_links" (
    "action_item_id" UUID NOT NULL,
    "integration_id" UUID NOT NULL,
    "external_id" TEXT NOT NULL,
    "external_key" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "remote_status" TEXT NOT NULL,
    "synced_status" TEXT NOT NULL,
    "synced_at" TIMESTAMPTZ(3) NOT NULL,
    "remote_event_at" TIMESTAMPTZ(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3),
    "last_error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ticket_links_pkey" PRIMARY KEY ("action_item_id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ticket_integrations_team_id_provider_key" ON "ticket_integrations"("team_id", "provider");

-- CreateIndex
CREATE UNIQUE INDEX "ticket_links_integration_id_external_id_key" ON "ticket_links"("integration_id", "external_id");

-- AddForeignKey
ALTER TABLE "ticket_integrations" ADD CONSTRAINT "ticket_integrations_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ticket_links" ADD CONSTRAINT "ticket_links_action_item_id_fkey" FOREIGN KEY ("action_item_id") REFERENCES "action_items"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ticket_links" ADD CONSTRAINT "ticket_links_integration_id_fkey" FOREIGN KEY ("integration_id") REFERENCES "ticket_integrations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Hand-written: only the words the domain table (lib/domain/ticket-sync.ts) knows.
ALTER TABLE "ticket_integrations" ADD CONSTRAINT "ticket_integrations_provider_check" CHECK ("provider" IN ('jira', 'linear'));
ALTER TABLE "ticket_links" ADD CONSTRAINT "ticket_links_synced_status_check" CHECK ("synced_status" IN ('open', 'in_progress', 'done', 'wont_do'));
ALTER TABLE "ticket_links" ADD CONSTRAINT "ticket_links_remote_status_check" CHECK ("remote_status" IN ('new', 'indeterminate', 'done', 'triage', 'backlog', 'unstarted', 'started', 'completed', 'canceled'));
