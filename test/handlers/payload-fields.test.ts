import { describe, expect, it } from "vitest";
import { IncompletePayloadError, requirePayloadFields } from "../../src/handlers/payload-fields.js";

const required = { "repository.name": "string", "pull_request.number": "number", "check_run.pull_requests": "array" } as const;
const complete = { repository: { name: "widgets" }, pull_request: { number: 42 }, check_run: { pull_requests: [] } };

describe("requirePayloadFields", () => {
  it("accepts a payload that has every field in the expected kind", () => {
    expect(() => requirePayloadFields("pull_request", complete, required)).not.toThrow();
  });

  it.each<[string, unknown, string]>([
    ["a missing object", { ...complete, repository: undefined }, "repository.name"],
    ["an empty string", { ...complete, repository: { name: "" } }, "repository.name"],
    ["a number given as text", { ...complete, pull_request: { number: "42" } }, "pull_request.number"],
    ["a fractional number", { ...complete, pull_request: { number: 4.2 } }, "pull_request.number"],
    ["an object where a list belongs", { ...complete, check_run: { pull_requests: {} } }, "check_run.pull_requests"],
    ["a field inherited from the prototype", { ...complete, repository: Object.create({ name: "widgets" }) }, "repository.name"],
  ])("names the field when it is %s", (_label, payload, field) => {
    expect(() => requirePayloadFields("pull_request", payload, required)).toThrow(`the pull_request webhook lacks ${field}; it was not judged`);
  });

  it("names every missing field at once, and carries status 400 for the webhook middleware", () => {
    let error: unknown;
    try {
      requirePayloadFields("pull_request_review", null, required);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(IncompletePayloadError);
    expect((error as IncompletePayloadError).status).toBe(400);
    expect((error as Error).message).toBe(
      "the pull_request_review webhook lacks repository.name, pull_request.number, check_run.pull_requests; it was not judged",
    );
  });
});
