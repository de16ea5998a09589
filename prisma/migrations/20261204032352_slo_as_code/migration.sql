-- AlterTable
ALTER TABLE "audit_log" ADD COLUMN     "source_ref" TEXT;

-- AlterTable
ALTER TABLE "services" ADD COLUMN     "created_by_apply" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "labels" JSONB NOT NULL DEFAULT '{}';

-- AlterTable
ALTER TABLE "slis" ADD COLUMN     "created_by_apply" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "data_source_id" UUID,
ADD COLUMN     "labels" JSONB NOT NULL DEFAULT '{}',
ADD COLUMN     "prom_threshold_query" TEXT,
ADD COLUMN     "slice_method" TEXT NOT NULL DEFAULT 'count_good',
ADD COLUMN     "threshold_op" TEXT,
ADD COLUMN     "threshold_value" DOUBLE PRECISION;

-- AlterTable
ALTER TABLE "slos" ADD COLUMN     "alerting" JSONB NOT NULL DEFAULT '{}',
ADD COLUMN     "calendar_start" TEXT,
ADD COLUMN     "created_by_apply" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "labels" JSONB NOT NULL DEFAULT '{}';

-- CreateTable
CREATE TABLE "data_sources" (
    "id" UUID NOT NULL,
    "team_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "display_name" TEXT NOT NULL DEFAULT '',
    "description" TEXT NOT NULL DEFAULT '',
    "type" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "auth_header" TEXT,
    "labels" JSONB NOT NULL DEFAULT '{}',
    "created_by_apply" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "data_sources_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "data_sources_team_id_name_key" ON "data_sources"("team_id", "name");

-- AddForeignKey
ALTER TABLE "slis" ADD CONSTRAINT "slis_data_source_id_fkey" FOREIGN KEY ("data_source_id") REFERENCES "data_sources"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "data_sources" ADD CONSTRAINT "data_sources_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE CASCADE ON UPDATE CASCADE;
