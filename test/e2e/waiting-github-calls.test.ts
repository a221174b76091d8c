// GitHub calls a waiting deployment costs, counted as every HTTP request the fake GitHub receives:
// judged again on a webhook, one facts query; on each sweep tick, that query and the question whether
// the run still waits. A status report or the answer adds its one callback.
import { afterEach, describe, expect, it } from "vitest";
import { RUN_ID } from "../helpers/deployment-scenario.js";
import { eventually } from "../helpers/eventually.js";
import { repolOverHttp, type RepolOverHttp } from "../helpers/repol-over-http.js";
import { checkRunCompleted, waitingDeploymentPayload, waitingWorld, type WaitingWorld } from "../helpers/waiting-scenario.js";

const SWEEP_MS = 60_000;
let world: WaitingWorld;
let repol: RepolOverHttp;

afterEach(async () => {
  await repol.close();
  await world.github.close();
});

/** Deployments waiting for the e2e check, each on its own workflow run. */
async function waitingDeployments(count: number): Promise<void> {
  world = await waitingWorld();
  repol = await repolOverHttp(world.github, { WAITING_SWEEP_SECONDS: String(SWEEP_MS / 1000) }, { clock: world.clock });
  for (let run = 0; run < count; run++) {
    const { id } = await repol.deliver("deployment_protection_rule", waitingDeploymentPayload(world.github, RUN_ID + run));
    await eventually("the status report", async () => (await repol.gate.store.findByDelivery(id))?.effect.ok);
  }
}

/** The calls `act` made, by route; installation tokens apart, since Probot caches them per installation. */
async function callsOf(act: () => Promise<void>): Promise<{ calls: string[]; tokens: number }> {
  const mark = world.github.requests.length;
  await act();
  const made = world.github.requests.slice(mark).map((request) => `${request.method} ${request.route}`);
  const calls = made.filter((call) => call !== "POST installation-token");
  return { calls, tokens: made.length - calls.length };
}

describe("GitHub calls while deployments wait", () => {
  it("a webhook that changes nothing costs one facts query per waiting deployment it concerns, and no report", async () => {
    await waitingDeployments(1);
    const { calls, tokens } = await callsOf(async () => {
      const { id } = await repol.deliver("check_run", checkRunCompleted("build", "success"));
      await eventually("the check run to be handled", async () => (await repol.gate.store.deliveries!.get(id))?.status === "done");
    });
    expect(calls).toEqual(["POST graphql"]);
    expect(tokens).toBeLessThanOrEqual(1);
  });

  it("a sweep tick costs two calls per waiting deployment: whether its run still waits, and its facts", async () => {
    await waitingDeployments(2);
    const { calls, tokens } = await callsOf(() => world.clock.advance(SWEEP_MS));
    expect(calls).toEqual(["GET pending-deployments", "POST graphql", "GET pending-deployments", "POST graphql"]);
    expect(tokens).toBe(0);
  });
});
