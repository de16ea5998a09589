-- AlterTable
ALTER TABLE "exclusion_schedules" ADD COLUMN     "exdates" TEXT[] DEFAULT ARRAY[]::TEXT[];
