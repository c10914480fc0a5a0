import { Validator } from "@seriousme/openapi-schema-validator";
import { describe, expect, it } from "vitest";
import * as openapiRoute from "@/app/api/v1/openapi.json/route";
import { call } from "@/test/support/principals";
import { buildOpenApiDocument } from "@/lib/api/v1/openapi";
import { v1Operations } from "@/lib/api/v1/operations";

// The OpenAPI document is checked by a maintained validator (OpenAPI 3.0/3.1/3.2 JSON schemas), every
// $ref must resolve, and it must list exactly the operations the v1 table defines.

describe("OpenAPI document", () => {
  it("is valid OpenAPI 3.1 with resolvable references", async () => {
    const validator = new Validator();
    const result = await validator.validate(buildOpenApiDocument());
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe("3.1");
    const resolved = validator.resolveRefs() as { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };
    expect(JSON.stringify(resolved)).not.toContain("$ref");
  });

  it("the validator does reject a broken document (the check above can fail)", async () => {
    const doc = structuredClone(buildOpenApiDocument()) as { paths: Record<string, Record<string, Record<string, unknown>>> };
    doc.paths["/api/v1/models"].get.parameters = [{ name: "x", in: "body" }];
    const result = await new Validator().validate(doc);
    expect(result.valid).toBe(false);
  });

  it("describes every v1 operation with its scopes, errors and Retry-After", () => {
    const doc = buildOpenApiDocument() as {
      paths: Record<string, Record<string, { operationId: string; security: Record<string, string[]>[]; responses: Record<string, { headers?: object }> }>>;
      components: { schemas: Record<string, unknown> };
    };
    const ops = Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([m, op]) => ({ path, m, op })));
    expect(ops.map((o) => o.op.operationId).sort()).toEqual(Object.keys(v1Operations).sort());
    for (const { path, m, op } of ops) {
      const def = Object.values(v1Operations).find((o) => o.path === path && o.method === m)!;
      expect(op.security).toEqual([{ apiKey: [...def.scopes] }]);
      for (const status of ["401", "403", "429"]) expect(op.responses[status]).toBeDefined();
      expect(op.responses["429"].headers).toHaveProperty("Retry-After");
    }
    expect(doc.paths["/api/v1/analyses"].post.responses["503"].headers).toHaveProperty("Retry-After");
    expect(Object.keys(doc.components.schemas).sort()).toEqual(["Analysis", "AnalysisBatch", "AnalysisDetail", "AnalysisPage", "Anatomy", "FhirBundle", "Finding", "Model", "ModelList", "Prior", "Problem", "Study", "Warning"]);
  });

  it("is served publicly at /api/v1/openapi.json", async () => {
    const res = await call(openapiRoute.GET, "/api/v1/openapi.json");
    expect(res.status).toBe(200);
    const served = await res.json();
    expect(served).toEqual(JSON.parse(JSON.stringify(buildOpenApiDocument())));
  });
});
