-- CreateTable
CREATE TABLE "sli_source_anomalies" (
    "sli_id" UUID NOT NULL,
    "minute" TIMESTAMPTZ(0) NOT NULL,
    "kind" TEXT NOT NULL,
    "raw_good" DOUBLE PRECISION NOT NULL,
    "raw_total" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "sli_source_anomalies_pkey" PRIMARY KEY ("sli_id","minute","kind")
);

-- AddForeignKey
ALTER TABLE "sli_source_anomalies" ADD CONSTRAINT "sli_source_anomalies_sli_id_fkey" FOREIGN KEY ("sli_id") REFERENCES "slis"("id") ON DELETE CASCADE ON UPDATE CASCADE;
