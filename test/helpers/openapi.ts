// Checks HTTP responses against docs/openapi.yaml: the documented status, content type and body schema.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { parse } from "yaml";

type Json = Record<string, any>;

export const OPENAPI_PATH = fileURLToPath(new URL("../../docs/openapi.yaml", import.meta.url));

export interface OpenApiDoc {
  doc: Json;
  /** Throws with ajv's errors unless `body` is what the spec documents for this operation and status. */
  assertResponse(path: string, method: string, status: number, contentType: string | null, body: unknown): void;
  /** The schema of a named component, for checking e.g. each NDJSON line. */
  assertSchema(name: string, value: unknown): void;
}

export function loadOpenApi(file = OPENAPI_PATH): OpenApiDoc {
  const doc = parse(readFileSync(file, "utf8")) as Json;
  const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true });
  (addFormats as unknown as (a: Ajv2020) => void)(ajv);
  // Component schemas become $defs of one registered schema, so "#/components/schemas/X" refs resolve.
  ajv.addSchema({ $id: "openapi.json", $defs: rewriteRefs(doc.components?.schemas ?? {}) });

  const resolve = (node: Json): Json => {
    if (!node?.$ref) return node;
    const target = (node.$ref as string)
      .replace(/^#\//, "")
      .split("/")
      .reduce((at: Json, key) => at?.[key], doc);
    if (!target) throw new Error(`openapi: unresolved ${node.$ref}`);
    return resolve(target);
  };

  const check = (schema: unknown, value: unknown, what: string) => {
    const validate = ajv.compile(rewriteRefs(schema) as object);
    if (!validate(value)) {
      throw new Error(`${what} does not match docs/openapi.yaml: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(value).slice(0, 500)}`);
    }
  };

  return {
    doc,
    assertResponse(path, method, status, contentType, body) {
      const operation = doc.paths?.[path]?.[method.toLowerCase()];
      if (!operation) throw new Error(`openapi: ${method} ${path} is not documented`);
      const response = operation.responses?.[String(status)];
      if (!response) throw new Error(`openapi: ${method} ${path} does not document status ${status}`);
      const content = resolve(response).content ?? {};
      const mediaType = (contentType ?? "").split(";")[0].trim();
      if (!content[mediaType]) {
        throw new Error(`openapi: ${method} ${path} ${status} documents ${Object.keys(content).join(", ") || "no body"}, got "${mediaType}"`);
      }
      check(content[mediaType].schema ?? {}, body, `${method} ${path} ${status}`);
    },
    assertSchema(name, value) {
      check({ $ref: `#/components/schemas/${name}` }, value, name);
    },
  };
}

function rewriteRefs(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(rewriteRefs);
  if (node === null || typeof node !== "object") return node;
  return Object.fromEntries(
    Object.entries(node).map(([key, value]) => [
      key,
      key === "$ref" && typeof value === "string" ? value.replace("#/components/schemas/", "openapi.json#/$defs/") : rewriteRefs(value),
    ]),
  );
}
