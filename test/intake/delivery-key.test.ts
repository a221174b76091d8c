import { describe, expect, it } from "vitest";
import { deliveryKey } from "../../src/intake/delivery-key.js";

const repository = { full_name: "Acme/Widgets" };

describe("deliveryKey", () => {
  it.each([
    {
      name: "a deployment protection rule, by environment (so daily limits are counted one at a time)",
      event: "deployment_protection_rule",
      payload: {
        repository,
        environment: "Production",
        deployment_callback_url: "https://api.github.com/repos/acme/widgets/actions/runs/77/deployment_protection_rule",
        deployment: { sha: "abc" },
      },
      key: "acme/widgets#env:production",
    },
    {
      name: "a deployment protection rule without an environment, by its workflow run",
      event: "deployment_protection_rule",
      payload: {
        repository,
        deployment_callback_url: "https://api.github.com/repos/acme/widgets/actions/runs/77/deployment_protection_rule",
        deployment: { sha: "abc" },
      },
      key: "acme/widgets#run:77",
    },
    { name: "a pull request event", event: "pull_request", payload: { repository, pull_request: { number: 42 } }, key: "acme/widgets#pr:42" },
    { name: "a review", event: "pull_request_review", payload: { repository, pull_request: { number: 42 } }, key: "acme/widgets#pr:42" },
    { name: "a check run re-run, by head commit", event: "check_run", payload: { repository, check_run: { head_sha: "def" } }, key: "acme/widgets@def" },
    { name: "a check suite re-run, by head commit", event: "check_suite", payload: { repository, check_suite: { head_sha: "def" } }, key: "acme/widgets@def" },
    { name: "anything else, by delivery", event: "issues", payload: { repository }, key: "delivery:d-1" },
    { name: "a payload without a repository", event: "pull_request", payload: { pull_request: { number: 1 } }, key: "delivery:d-1" },
    { name: "a payload that is not an object", event: "pull_request", payload: null, key: "delivery:d-1" },
  ])("keys $name", ({ event, payload, key }) => {
    expect(deliveryKey(event, payload, "d-1")).toBe(key);
  });
});
