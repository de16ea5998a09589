-- CreateTable
CREATE TABLE "definition_versions" (
    "id" UUID NOT NULL,
    "team_id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "sli_id" UUID,
    "slo_id" UUID,
    "version" INTEGER NOT NULL,
    "valid_from" TIMESTAMPTZ(3) NOT NULL,
    "definition" JSONB NOT NULL,
    "changed" TEXT[],
    "actor_user_id" UUID,
    "actor_token_id" UUID,
    "source_ref" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "definition_versions_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "definition_versions_sli_id_version_key" ON "definition_versions"("sli_id", "version");

-- CreateIndex
CREATE UNIQUE INDEX "definition_versions_slo_id_version_key" ON "definition_versions"("slo_id", "version");

-- AddForeignKey
ALTER TABLE "definition_versions" ADD CONSTRAINT "definition_versions_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "definition_versions" ADD CONSTRAINT "definition_versions_sli_id_fkey" FOREIGN KEY ("sli_id") REFERENCES "slis"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "definition_versions" ADD CONSTRAINT "definition_versions_slo_id_fkey" FOREIGN KEY ("slo_id") REFERENCES "slos"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- A version belongs to exactly one SLI or one SLO, as its kind says.
ALTER TABLE "definition_versions" ADD CONSTRAINT "definition_versions_owner_check"
  CHECK ((kind = 'sli' AND sli_id IS NOT NULL AND slo_id IS NULL) OR (kind = 'slo' AND slo_id IS NOT NULL AND sli_id IS NULL));
