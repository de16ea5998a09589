// The OpenAPI document describes every route handler the app has, with the right methods.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { definitionsScopeOps, openApiDocument, operations } from "./openapi";

const appDir = path.resolve(import.meta.dirname, "../../app");

function routeFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? routeFiles(p) : e.name === "route.ts" ? [p] : [];
  });
}

describe("OpenAPI document", () => {
  const handlers = routeFiles(appDir)
    .filter((f) => !f.includes("[...nextauth]") && !f.includes("openapi.json"))
    .flatMap((file) => {
      const route = "/" + path.relative(appDir, path.dirname(file)).split(path.sep).join("/").replace(/\[(\w+)\]/g, "{$1}");
      const methods = [...fs.readFileSync(file, "utf8").matchAll(/export const (GET|POST|PATCH|PUT|DELETE)\b/g)].map((m) => m[1]!.toLowerCase());
      return methods.map((m) => `${m} ${route}`);
    })
    .sort();

  it("lists exactly the route handlers of the app", () => {
    expect(operations.map((o) => `${o.method} ${o.path}`).sort()).toEqual(handlers);
    expect(handlers.length).toBeGreaterThan(30);
  });

  it("lets a definitions token call only operations that exist, and says so in their security", () => {
    const known = new Set(operations.map((o) => `${o.method} ${o.path}`));
    for (const key of definitionsScopeOps) expect(known, key).toContain(key);
    const doc = openApiDocument();
    expect(doc.paths["/api/v1/teams/{team}/definitions/apply"]!.post).toMatchObject({ security: [{ session: [] }, { token: ["definitions"] }] });
    expect(doc.paths["/api/v1/teams/{team}/definitions/plan"]!.post).toMatchObject({ security: [{ session: [] }, { token: ["read"] }, { token: ["definitions"] }] });
  });

  it("is OpenAPI 3.1 with request schemas from the zod schemas", () => {
    const doc = openApiDocument();
    expect(doc.openapi).toBe("3.1.0");
    const post = doc.paths["/api/v1/teams/{team}/services/{service}/slos"]!.post as { requestBody: { content: { "application/json": { schema: { required: string[] } } } } };
    expect(post.requestBody.content["application/json"].schema.required).toEqual(["slug", "name", "sli", "objective", "window"]);
  });
});
