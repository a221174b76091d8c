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

describe("readDeploymentRequest: the deployment object rules read", () => {
  const deploymentOf = (change: (payload: Payload) => void) =>
    readDeploymentRequest(deploymentPayload(change) as DeploymentProtectionRulePayload, "https://api.github.com").deployment;

  it("reads its id, environment, ref, SHA, creator and the event that started the run", () => {
    expect(deploymentOf(() => {})).toEqual({
      id: 2345678901,
      environment: "production",
      ref: "main",
      sha: "3f786850e387550fdab836ed7e6dc881de23001b",
      creator: "github-actions[bot]",
      event: "push",
    });
  });

  it.each([
    ["GitHub sends a job without a deployment", (p: Payload) => Object.assign(p, { deployment: null, sha: TOP, ref: "main" })],
    ["the deployment lacks its SHA", (p: Payload) => Object.assign(p.deployment, { sha: "" })],
    ["the deployment has no numeric id", (p: Payload) => Object.assign(p.deployment, { id: "2345678901" })],
  ])("is null when %s", (_case, change) => {
    expect(deploymentOf(change)).toBeNull();
  });

  it("keeps a deployment whose creator and event GitHub left out, with those null", () => {
    expect(deploymentOf((p) => Object.assign(p, { event: undefined, deployment: { ...p.deployment, creator: null } }))).toMatchObject({
      creator: null,
      event: null,
    });
  });
});
