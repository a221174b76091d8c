// The webhook fixtures the handler tests send are checked against GitHub's published webhook schemas
// (@octokit/openapi-webhooks), so they stay shaped as GitHub sends them, not as someone remembered.
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { describe, expect, it } from "vitest";

type Json = Record<string, any>;

const require = createRequire(import.meta.url);
const FIXTURES = new URL("../fixtures/webhooks/", import.meta.url);
const fixtures = readdirSync(FIXTURES)
  .filter((file) => file.endsWith(".json"))
  .sort();
const read = (file: string): Json => JSON.parse(readFileSync(new URL(file, FIXTURES), "utf8"));

/**
 * Where the published schema lags what GitHub sends, the schema is corrected here, each with its reason,
 * rather than the fixture bent to match it.
 */
function corrected(schemas: Json): Json {
  const copy = structuredClone(schemas);
  // GitHub's current description (github/rest-api-description) of deployment_protection_rule: the
  // deployment is a nullable-deployment (none when a job uses an environment without creating one),
  // and top-level sha and ref are always filled from the check suite.
  const protectionRule = copy["webhook-deployment-protection-rule-requested"];
  protectionRule.properties.deployment = { anyOf: [{ $ref: "#/components/schemas/deployment" }, { type: "null" }] };
  protectionRule.properties.sha = { type: "string" };
  protectionRule.properties.ref = { type: "string" };
  // An App's event list names every event it subscribes to, repol's own included; the enum predates it.
  copy["webhook-check-suite-rerequested"].properties.check_suite.properties.app.properties.events.items.enum.push("deployment_protection_rule");
  return copy;
}

function webhookValidator() {
  const { components } = require("@octokit/openapi-webhooks/generated/api.github.com.json") as Json;
  // OpenAPI 3.1 schemas are JSON Schema 2020-12; strict mode would refuse OpenAPI's own keywords.
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  (addFormats as unknown as (a: Ajv2020) => void)(ajv);
  ajv.addSchema({ $id: "webhooks.json", components: { ...components, schemas: corrected(components.schemas) } });
  return (event: string, payload: Json): string | null => {
    const name = `webhook-${event}-${payload.action}`.replaceAll("_", "-");
    const validate = ajv.getSchema(`webhooks.json#/components/schemas/${name}`);
    if (!validate) return `GitHub publishes no schema ${name}`;
    return validate(payload) ? null : ajv.errorsText(validate.errors);
  };
}

/** True when `fixture` holds every field of `example` with the same value (and maybe more). */
function keepsEveryFieldOf(fixture: Json, example: Json): boolean {
  try {
    expect(fixture).toMatchObject(example);
    return true;
  } catch {
    return false;
  }
}

describe("webhook fixtures", () => {
  const problemsOf = webhookValidator();

  it("include the deployment GitHub sends without a deployment object", () => {
    expect(read("deployment_protection_rule.requested.no_deployment.json")).toMatchObject({
      deployment: null,
      sha: expect.any(String),
      ref: expect.any(String),
    });
  });

  it.each(fixtures)("%s matches GitHub's published schema for its event", (file) => {
    expect(problemsOf(file.split(".")[0]!, read(file))).toBeNull();
  });

  it("catches a payload GitHub would never send", () => {
    const broken = read("pull_request.opened.json");
    delete broken.pull_request.head;
    broken.number = "42";
    expect(problemsOf("pull_request", broken)).toMatch(/head.*number must be integer|number must be integer.*head/s);
  });

  // GitHub's review example predates `has_discussions` on repositories; its fixture adds only that.
  it.each(fixtures.filter((file) => file.includes(".github_example.")))("%s is GitHub's recorded example, with nothing changed", (file) => {
    const [event, action] = file.split(".");
    const definitions = require("@octokit/webhooks-examples") as { name: string; examples: Json[] }[];
    const examples = definitions.find((definition) => definition.name === event)!.examples.filter((example) => example.action === action);
    expect(examples.some((example) => keepsEveryFieldOf(read(file), example))).toBe(true);
  });
});
