// What a test file sets up (apps, servers, databases, folders), undone after its tests, last
// first; a step that fails does not stop the others.
import fs from "node:fs/promises";
import { afterAll } from "vitest";
import { tempDataDir } from "./app-process";

export function cleanupsAfterAll() {
  const steps: (() => unknown)[] = [];
  afterAll(async () => {
    for (const step of steps.reverse()) await Promise.resolve().then(step).catch(() => {});
  });
  return {
    add: (step: () => unknown) => void steps.push(step),
    /** A new empty folder for a DATA_DIR (see tempDataDir), removed afterwards. */
    tempDir: async (prefix: string) => {
      const dir = await tempDataDir(prefix);
      steps.push(() => fs.rm(dir, { recursive: true, force: true }));
      return dir;
    },
  };
}
