-- CreateTable
CREATE TABLE "action_item_recurrences" (
    "id" UUID NOT NULL,
    "action_item_id" UUID NOT NULL,
    "incident_id" UUID NOT NULL,
    "slo_id" UUID NOT NULL,
    "budget_spent" DOUBLE PRECISION NOT NULL,
    "detected_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "action_item_recurrences_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "action_item_recurrences_incident_id_idx" ON "action_item_recurrences"("incident_id");

-- CreateIndex
CREATE UNIQUE INDEX "action_item_recurrences_action_item_id_incident_id_key" ON "action_item_recurrences"("action_item_id", "incident_id");

-- AddForeignKey
ALTER TABLE "action_item_recurrences" ADD CONSTRAINT "action_item_recurrences_action_item_id_fkey" FOREIGN KEY ("action_item_id") REFERENCES "action_items"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "action_item_recurrences" ADD CONSTRAINT "action_item_recurrences_incident_id_fkey" FOREIGN KEY ("incident_id") REFERENCES "incidents"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "action_item_recurrences" ADD CONSTRAINT "action_item_recurrences_slo_id_fkey" FOREIGN KEY ("slo_id") REFERENCES "slos"("id") ON DELETE CASCADE ON UPDATE CASCADE;
