-- AlterTable
ALTER TABLE "services" ADD COLUMN     "archived_at" TIMESTAMPTZ(3),
ADD COLUMN     "archived_by_id" UUID;

-- AlterTable
ALTER TABLE "slis" ADD COLUMN     "archived_at" TIMESTAMPTZ(3),
ADD COLUMN     "archived_by_id" UUID;

-- AlterTable
ALTER TABLE "slos" ADD COLUMN     "archived_at" TIMESTAMPTZ(3),
ADD COLUMN     "archived_by_id" UUID;

-- AddForeignKey
ALTER TABLE "services" ADD CONSTRAINT "services_archived_by_id_fkey" FOREIGN KEY ("archived_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "slis" ADD CONSTRAINT "slis_archived_by_id_fkey" FOREIGN KEY ("archived_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "slos" ADD CONSTRAINT "slos_archived_by_id_fkey" FOREIGN KEY ("archived_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;
