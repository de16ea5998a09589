-- AlterTable
ALTER TABLE "slis" ADD COLUMN     "histogram_le" TEXT,
ADD COLUMN     "histogram_matchers" TEXT,
ADD COLUMN     "histogram_metric" TEXT,
ADD COLUMN     "histogram_threshold" DOUBLE PRECISION,
ADD COLUMN     "histogram_type" TEXT;
