// The OpenAPI document describes every route handler the app has, with the right methods.
import fs from "node:fs";
import path from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { describe, expect, it } from "vitest";
import { definitionsScopeOps, openApiDocument, operations, successStatus } from "./openapi";

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

  it("documents every success: a schema for each body, a media type for text, nothing for a 204", () => {
    const doc = openApiDocument();
    const missing: string[] = [];
    for (const op of operations) {
      const status = successStatus(op);
      const response = (doc.paths[op.path]![op.method] as { responses: Record<string, { content?: Record<string, { schema?: Record<string, unknown> }> }> }).responses[status]!;
      if (status === "204") {
        if (op.response || response.content) missing.push(`${op.method} ${op.path}: a 204 has no body`);
        continue;
      }
      const [type, media] = Object.entries(response.content ?? {})[0] ?? [];
      if (!op.response || !media?.schema || Object.keys(media.schema).length === 0) missing.push(`${op.method} ${op.path}: no response schema`);
      else if (type !== "application/json" && media.schema.type !== "string") missing.push(`${op.method} ${op.path}: ${type} is text, its schema a string`);
    }
    expect(missing).toEqual([]);
    expect(operations.filter((o) => successStatus(o) !== "204").length).toBeGreaterThanOrEqual(85);
  });

  it("is structurally valid OpenAPI 3.1: operations with responses, every schema valid JSON Schema 2020-12, every error in the one shape", () => {
    const doc = openApiDocument() as unknown as {
      openapi: string;
      info: { title: string; version: string };
      paths: Record<string, Record<string, { responses: Record<string, { description?: string; content?: Record<string, { schema: object }> }>; requestBody?: { content: Record<string, { schema: object }> }; parameters: { name: string; in: string }[] }>>;
      components: { schemas: Record<string, object> };
    };
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(doc.info.title && doc.info.version).toBeTruthy();
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema({ $id: "openapi.json", components: doc.components });
    const problems: string[] = [];
    for (const [path, item] of Object.entries(doc.paths)) {
      expect(path.startsWith("/")).toBe(true);
      const declared = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      for (const [method, op] of Object.entries(item)) {
        expect(["get", "put", "post", "delete", "patch"]).toContain(method);
        expect(op.parameters.filter((p) => p.in === "path").map((p) => p.name)).toEqual(declared);
        const statuses = Object.keys(op.responses);
        expect(statuses.length).toBeGreaterThan(0);
        for (const [status, r] of Object.entries(op.responses)) {
          if (!/^[1-5]\d\d$/.test(status) || !r.description) problems.push(`${method} ${path} ${status}: a status with a description`);
          for (const media of Object.values(r.content ?? {})) {
            const schema = JSON.parse(JSON.stringify(media.schema).replaceAll('"#/components/', '"openapi.json#/components/')) as object;
            try {
              ajv.compile(schema);
            } catch (e) {
              problems.push(`${method} ${path} ${status}: ${(e as Error).message}`);
            }
            const own = operations.find((o) => o.path === path && o.method === method)?.otherResponses?.[status];
            if (status >= "400" && !own) {
              if (JSON.stringify(media.schema) !== JSON.stringify({ $ref: "#/components/schemas/Error" })) problems.push(`${method} ${path} ${status}: not the one error shape`);
            }
          }
        }
        for (const media of Object.values(op.requestBody?.content ?? {})) {
          try {
            ajv.compile(media.schema);
          } catch (e) {
            problems.push(`${method} ${path} request: ${(e as Error).message}`);
          }
        }
      }
    }
    expect(problems).toEqual([]);
    const validateError = ajv.compile({ $ref: "openapi.json#/components/schemas/Error" });
    expect(validateError({ error: { code: "invalid", message: "name: Give the service a name", fields: { name: "Give the service a name" } } })).toBe(true);
    expect(validateError({ message: "not found" })).toBe(false);
  });
});
