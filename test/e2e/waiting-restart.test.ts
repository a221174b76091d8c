// A waiting deployment survives a restart and is answered once; with two replicas on one PostgreSQL
// database, evidence arriving at both still yields exactly one answer.
import { afterEach, describe, expect, it } from "vitest";
import { openPostgresStore } from "../../src/audit/postgres-store.js";
import type { AuditStore } from "../../src/audit/store.js";
import { eventually } from "../helpers/eventually.js";
import { gateDeps, type GateDeps } from "../helpers/gate-deps.js";
import { freshSchema, postgresAvailable } from "../helpers/postgres.js";
import { serveRepol, type ServedRepol } from "../helpers/repol-over-http.js";
import {
  answersAndReports,
  checkRunCompleted,
  checkSuiteFor,
  probotFor,
  setCheck,
  waitingDeploymentPayload,
  waitingWorld,
  type WaitingWorld,
} from "../helpers/waiting-scenario.js";

let world: WaitingWorld;
let gate: GateDeps;
const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setUp(): Promise<void> {
  world = await waitingWorld();
  gate = await gateDeps({ GHE_HOST: world.github.host, GHE_PROTOCOL: "http", WAITING_SWEEP_SECONDS: "900" }, { clock: world.clock.now });
  cleanups.push(
    () => world.github.close(),
    () => gate.close(),
  );
}

async function replica(store: AuditStore = gate.store): Promise<ServedRepol> {
  const served = await serveRepol({
    probot: probotFor(world.github),
    deps: { ...gate.deps, store },
    timing: { clock: world.clock, deliverySweepMs: 0, outboxIntervalMs: 0 },
  });
  cleanups.push(() => served.close());
  return served;
}

async function requestDeployment(repol: ServedRepol, store: AuditStore): Promise<string> {
  const { id } = await repol.deliver("deployment_protection_rule", waitingDeploymentPayload(world.github));
  await eventually("the deployment to wait", async () => (await store.findByDelivery(id))?.decision === "pending");
  return id;
}

/** A deployment left waiting by a repol that has stopped since. */
async function waitingThenStopped(): Promise<string> {
  await setUp();
  const before = await replica();
  const id = await requestDeployment(before, gate.store);
  await before.close();
  return id;
}

describe("waiting deployments across restarts and replicas", () => {
  it("a restart while waiting still ends in exactly one answer", async () => {
    const id = await waitingThenStopped();

    // The check finishes while repol is down: its webhook is lost, the restart finds the deployment.
    setCheck(world.scenario, "e2e", "success");
    const after = await replica();
    await after.work.waiting.reconciled;
    await after.deliver("check_run", checkRunCompleted("e2e", "success"));
    await after.deliver("deployment_protection_rule", waitingDeploymentPayload(world.github), id);
    await after.work.waiting.sweep();

    expect(answersAndReports(world.github.requests).answers).toEqual([expect.objectContaining({ state: "approved" })]);
    expect(await gate.store.waiting!.get(id)).toMatchObject({ status: "answered" });
  });

  it("the look at start alone answers a deployment whose evidence arrived while repol was down", async () => {
    const id = await waitingThenStopped();

    setCheck(world.scenario, "e2e", "success");
    const after = await replica();
    await after.work.waiting.reconciled;

    expect(answersAndReports(world.github.requests).answers).toEqual([expect.objectContaining({ state: "approved" })]);
    expect(await gate.store.findByDelivery(`${id}/answer`)).toMatchObject({ decision: "allow" });
    expect(await gate.store.waiting!.get(id)).toMatchObject({ status: "answered" });
  });

  it("the look at start ends, unanswered, the wait of a run cancelled while repol was down", async () => {
    const id = await waitingThenStopped();

    world.runWaits.value = false;
    const after = await replica();
    await after.work.waiting.reconciled;

    expect(answersAndReports(world.github.requests).answers).toEqual([]);
    expect(await gate.store.waiting!.get(id)).toMatchObject({ status: "ended", endReason: expect.stringContaining("cancelled") });
  });

  if (postgresAvailable("two replicas answering a waiting deployment")) {
    it("two replicas on PostgreSQL post one answer", async () => {
      await setUp();
      const schema = await freshSchema();
      const stores = [openPostgresStore(schema.url, { clock: world.clock.now }), openPostgresStore(schema.url, { clock: world.clock.now })];
      cleanups.push(() => schema.drop());
      for (const store of stores) cleanups.push(() => store.close());
      await stores[0]!.migrate();
      const [first, second] = [await replica(stores[0]), await replica(stores[1])];
      const id = await requestDeployment(first, stores[0]!);

      setCheck(world.scenario, "e2e", "success");
      await Promise.all([
        first.deliver("check_run", checkRunCompleted("e2e", "success")),
        second.deliver("check_suite", checkSuiteFor(checkRunCompleted("e2e", "success"))),
        first.work.waiting.sweep(),
        second.work.waiting.sweep(),
      ]);
      await eventually("the answer", async () => (await stores[1]!.findByDelivery(`${id}/answer`))?.effect.ok);
      await Promise.all([first.work.waiting.sweep(), second.work.waiting.sweep()]);

      expect(answersAndReports(world.github.requests).answers).toEqual([expect.objectContaining({ state: "approved" })]);
    });
  }
});
