import { describe, expect, it } from "vitest";
import { readDeploymentRequest, type DeploymentProtectionRulePayload } from "../../src/webhooks/read-deployment-request.js";
import { deploymentPayload, type Payload } from "../helpers/deployment-scenario.js";

const TOP = "a".repeat(40);
const DEPLOYED = "d".repeat(40);

function commitOf(change: (payload: Payload) => void) {
  const { sha, ref, commitSource } = readDeploymentRequest(
    deploymentPayload((p) => {
      Object.assign(p.deployment, { sha: DEPLOYED, ref: "release/1.2" });
      change(p);
    }) as DeploymentProtectionRulePayload,
    "https://api.github.com",
  );
  return { sha, ref, commitSource };
}

describe("readDeploymentRequest: the deployed commit", () => {
  it.each([
    { name: "only the deployment's fields", change: () => {}, expected: { sha: DEPLOYED, ref: "release/1.2", commitSource: "deployment" } },
    {
      name: "top-level fields and a null deployment",
      change: (p: Payload) => Object.assign(p, { sha: TOP, ref: "main", deployment: null }),
      expected: { sha: TOP, ref: "main", commitSource: "top_level" },
    },
    { name: "both pairs", change: (p: Payload) => Object.assign(p, { sha: TOP, ref: "main" }), expected: { sha: TOP, ref: "main", commitSource: "top_level" } },
    {
      name: "a top-level sha without a ref",
      change: (p: Payload) => Object.assign(p, { sha: TOP }),
      expected: { sha: DEPLOYED, ref: "release/1.2", commitSource: "deployment" },
    },
    {
      name: "an empty top-level ref",
      change: (p: Payload) => Object.assign(p, { sha: TOP, ref: "" }),
      expected: { sha: DEPLOYED, ref: "release/1.2", commitSource: "deployment" },
    },
  ])("reads $name", ({ change, expected }) => {
    expect(commitOf(change)).toEqual(expected);
  });

  it.each([
    { name: "no pair at all", change: (p: Payload) => void (p.deployment = null), expected: { sha: null, ref: null } },
    { name: "half of each pair", change: (p: Payload) => void ((p.sha = TOP), delete p.deployment.sha), expected: { sha: TOP, ref: null } },
    { name: "the deployment's ref alone", change: (p: Payload) => void delete p.deployment.sha, expected: { sha: null, ref: "release/1.2" } },
  ])("never mixes the pairs: with $name the commit is incomplete", ({ change, expected }) => {
    expect(commitOf(change)).toEqual({ ...expected, commitSource: null });
  });
});
