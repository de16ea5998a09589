import { afterAll, inject } from "vitest";
import { closeDatabase } from "../db/client";

process.env.DATABASE_URL = inject("databaseUrl");
process.env.AUTH_SECRET ??= "test-secret-test-secret-test-secret-0123";

afterAll(async () => {
  await closeDatabase();
});
