-- AlterTable
ALTER TABLE "slis" ADD COLUMN     "group_id" UUID,
ADD COLUMN     "group_value" TEXT;

-- AlterTable
ALTER TABLE "slos" ADD COLUMN     "group_id" UUID,
ADD COLUMN     "group_value" TEXT;

-- CreateTable
CREATE TABLE "slo_groups" (
    "id" UUID NOT NULL,
    "service_id" UUID NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "label_key" TEXT NOT NULL,
    "kind" "SliKind" NOT NULL,
    "source" "SliSource" NOT NULL DEFAULT 'push',
    "latency_threshold_ms" INTEGER,
    "prom_url" TEXT,
    "prom_auth_header" TEXT,
    "prom_good_query" TEXT,
    "prom_bad_query" TEXT,
    "prom_total_query" TEXT,
    "backfill_from" TIMESTAMPTZ(0),
    "synced_until" TIMESTAMPTZ(0),
    "last_sync_at" TIMESTAMPTZ(3),
    "last_sync_error" TEXT,
    "objective" DECIMAL(9,8) NOT NULL,
    "window_kind" "WindowKind" NOT NULL,
    "window_days" INTEGER,
    "calendar_unit" "CalendarUnit",
    "time_zone" TEXT NOT NULL DEFAULT 'UTC',
    "min_events" INTEGER NOT NULL DEFAULT 0,
    "max_members" INTEGER NOT NULL DEFAULT 100,
    "idle_days" INTEGER NOT NULL DEFAULT 7,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "archived_at" TIMESTAMPTZ(3),

    CONSTRAINT "slo_groups_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "slo_groups_service_id_slug_key" ON "slo_groups"("service_id", "slug");

-- CreateIndex
CREATE UNIQUE INDEX "slis_group_id_group_value_key" ON "slis"("group_id", "group_value");

-- CreateIndex
CREATE INDEX "slos_group_id_idx" ON "slos"("group_id");

-- AddForeignKey
ALTER TABLE "slis" ADD CONSTRAINT "slis_group_id_fkey" FOREIGN KEY ("group_id") REFERENCES "slo_groups"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "slos" ADD CONSTRAINT "slos_group_id_fkey" FOREIGN KEY ("group_id") REFERENCES "slo_groups"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "slo_groups" ADD CONSTRAINT "slo_groups_service_id_fkey" FOREIGN KEY ("service_id") REFERENCES "services"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The caps and age-out stay in range whatever writes the row (docs/grouped-slos.md).
ALTER TABLE "slo_groups" ADD CONSTRAINT "slo_groups_max_members_check" CHECK ("max_members" BETWEEN 1 AND 1000);
ALTER TABLE "slo_groups" ADD CONSTRAINT "slo_groups_idle_days_check" CHECK ("idle_days" BETWEEN 1 AND 90);
ALTER TABLE "slis" ADD CONSTRAINT "slis_group_value_check" CHECK (("group_id" IS NULL) = ("group_value" IS NULL));
