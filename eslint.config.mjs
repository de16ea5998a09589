// Lint rules that enforce the layering of docs/architecture.md mechanically (rule 5):
//   lib/domain   pure: no framework, database, validation library or I/O
//   lib/schemas  zod only, shared by client and server: no server code
//   app, components  no Prisma, no database client: data access goes through lib/server services
//   components   client-side code: no lib/server at all
import js from "@eslint/js";
import tseslint from "typescript-eslint";

const restrict = (patterns) => ["error", { patterns }];

export default tseslint.config(
  { ignores: ["node_modules/**", ".next/**", "lib/generated/**", "data/**", "test-results/**", "playwright-report/**", "next-env.d.ts", "tmp/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-console": "error",
      // CI fails on skipped tests; catch them before they are committed.
      "no-restricted-properties": [
        "error",
        ...["it", "test", "describe"].flatMap((object) =>
          ["only", "skip", "todo", "fixme", "skipIf", "runIf"].map((property) => ({ object, property, message: "no skipped or focused tests" })),
        ),
      ],
    },
  },
  {
    files: ["lib/domain/**/*.ts"],
    ignores: ["lib/domain/**/*.test.ts"],
    rules: {
      "no-restricted-imports": restrict([
        { group: ["next", "next/*", "react", "react-*", "zod", "@prisma/*", "pg", "**/generated/**", "**/server/**", "**/schemas/**", "@/lib/server/*", "@/lib/schemas/*"], message: "lib/domain is pure TypeScript: no framework, database, validation or server imports (docs/architecture.md)." },
        { group: ["node:*", "fs", "path", "http", "child_process", "crypto"], message: "lib/domain does no I/O: pass data and time in as arguments." },
      ]),
      "no-restricted-globals": ["error", { name: "fetch", message: "lib/domain does no I/O." }],
      "no-restricted-syntax": [
        "error",
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: "lib/domain takes time as an argument: no new Date() without one." },
        { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: "lib/domain takes time as an argument: no Date.now()." },
      ],
    },
  },
  {
    // One clock for decisions that replicas must agree on: the database's (docs/architecture.md rule 9).
    files: ["lib/server/**/*.ts", "app/**/*.{ts,tsx}"],
    ignores: ["**/*.test.ts", "lib/server/testing/**", "lib/server/clock.ts", "lib/server/logger.ts", "lib/server/demo/**"],
    rules: {
      "no-restricted-syntax": [
        "error",
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: "take the time from clockNow() (lib/server/clock.ts), the database's clock, so every replica agrees." },
        { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: "take the time from clockNow() (lib/server/clock.ts); for durations use performance.now()." },
      ],
    },
  },
  {
    files: ["lib/schemas/**/*.ts"],
    rules: {
      "no-restricted-imports": restrict([{ group: ["**/server/**", "@/lib/server/*", "@prisma/*", "**/generated/**", "next", "next/*"], message: "lib/schemas is shared with the browser: no server code." }]),
    },
  },
  {
    files: ["app/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-imports": restrict([
        { group: ["@prisma/*", "**/generated/prisma/**", "pg", "@/lib/server/db/*", "**/server/db/**"], message: "Routes and pages call lib/server services; no database access here (docs/architecture.md rule 2)." },
      ]),
    },
  },
  {
    files: ["components/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-imports": restrict([
        { group: ["@prisma/*", "**/generated/prisma/**", "pg", "@/lib/server/*", "@/lib/server/**", "**/lib/server/**"], message: "Components run in the browser too: no server code; get data through props or the API." },
      ]),
    },
  },
  {
    files: ["e2e/**/*.ts", "lib/cli/**/*.ts", "lib/bench/**/*.ts", "**/*.test.ts"],
    rules: { "no-console": "off" },
  },
  {
    // The command-line client: plain JavaScript for Node, run from a checkout without a build (docs/cli.md).
    files: ["lib/cli/**/*.mjs"],
    // Node's globals by name: the `globals` package is only a transitive dependency here.
    languageOptions: {
      sourceType: "module",
      ecmaVersion: 2023,
      globals: Object.fromEntries(["process", "Buffer", "URL", "URLSearchParams", "fetch", "AbortSignal", "setTimeout", "clearTimeout", "console"].map((g) => [g, "readonly"])),
    },
  },
);
