// Prisma CLI configuration. The CLI is used here only for `prisma generate`; migrations are
// applied by our own runner (lib/server/db/migrate.ts) on Prisma's wasm schema engine, because
// the CLI downloads a native schema-engine binary, which fails on machines without internet.
import { defineConfig } from "prisma/config";

// `prisma generate` needs no engine, but the CLI insists on locating one: any existing file does.
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= "/bin/false";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost:5432/burnrate" },
});
