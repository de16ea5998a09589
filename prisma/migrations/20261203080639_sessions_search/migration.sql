/*
  Warnings:

  - A unique constraint covering the columns `[team_id,callback_url]` on the table `gate_decisions` will be added. If there are existing duplicate values, this will fail.

*/
-- DropIndex
DROP INDEX "gate_decisions_team_id_delivery_id_key";

-- AlterTable
ALTER TABLE "gate_decisions" ADD COLUMN     "callback_url" TEXT;

-- AlterTable
ALTER TABLE "postmortems" ADD COLUMN     "search_vector" tsvector;

-- AlterTable
ALTER TABLE "users" ADD COLUMN     "disabled_at" TIMESTAMPTZ(3),
ADD COLUMN     "locked_at" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "sessions" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "method" TEXT NOT NULL,
    "user_agent" TEXT NOT NULL DEFAULT '',
    "address" TEXT NOT NULL DEFAULT '',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "sessions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "rate_limits" (
    "key" VARCHAR(255) NOT NULL,
    "points" INTEGER NOT NULL DEFAULT 0,
    "expire" BIGINT,

    CONSTRAINT "rate_limits_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "sessions_user_id_created_at_idx" ON "sessions"("user_id", "created_at");

-- CreateIndex
CREATE INDEX "sessions_expires_at_idx" ON "sessions"("expires_at");

-- CreateIndex
CREATE UNIQUE INDEX "gate_decisions_team_id_callback_url_key" ON "gate_decisions"("team_id", "callback_url");

-- The search vector: the title (weight A) and each section's title and body, English
-- configuration, kept by a trigger on every write so a query reads the index instead of every
-- published text. Only titles and bodies: a section's key and its template's prompt are not what
-- anyone wrote, and would match every postmortem made from the same template. jsonb_to_tsvector
-- reads the string values only, no JSON syntax.
CREATE FUNCTION postmortems_search_vector_of(title text, sections jsonb) RETURNS tsvector LANGUAGE sql IMMUTABLE AS $$
  SELECT setweight(to_tsvector('english', title), 'A')
    || jsonb_to_tsvector('english', jsonb_path_query_array(sections, '$[*].title') || jsonb_path_query_array(sections, '$[*].body'), '["string"]')
$$;

CREATE FUNCTION postmortems_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.search_vector := postmortems_search_vector_of(NEW.title, NEW.sections);
  RETURN NEW;
END $$;

CREATE TRIGGER postmortems_search_vector BEFORE INSERT OR UPDATE OF title, sections ON "postmortems"
  FOR EACH ROW EXECUTE FUNCTION postmortems_search_vector();

UPDATE "postmortems" SET search_vector = postmortems_search_vector_of(title, sections);

-- CreateIndex
CREATE INDEX "postmortems_search_vector_idx" ON "postmortems" USING GIN ("search_vector");

-- AddForeignKey
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
