import { describe, expect, it } from "vitest";
import { trackInFlight } from "../../src/handlers/in-flight.js";
import { buildRegistry } from "../../src/handlers/registry.js";
import type { EventHandler } from "../../src/handlers/types.js";

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe("trackInFlight", () => {
  it("waits at shutdown for a handler that is still running", async () => {
    const gate = deferred();
    let finished = false;
    const slow: EventHandler = async () => {
      await gate.promise;
      finished = true;
    };
    const tracked = trackInFlight(buildRegistry([["deployment_protection_rule.requested", slow]]));
    const running = tracked.registry.get("deployment_protection_rule.requested")!({} as never, {} as never);

    const drained = tracked.drain(5_000);
    gate.resolve();

    expect(await drained).toBe(true);
    expect(finished).toBe(true);
    await running;
  });

  it("gives up after the grace period and says so", async () => {
    const never: EventHandler = () => new Promise(() => {});
    const tracked = trackInFlight(buildRegistry([["pull_request.opened", never]]));
    void tracked.registry.get("pull_request.opened")!({} as never, {} as never);
    expect(await tracked.drain(20)).toBe(false);
  });

  it("drains at once when nothing is running, and keeps every event routed", async () => {
    const handler: EventHandler = async () => {};
    const tracked = trackInFlight(buildRegistry([["a.b", handler], ["c", handler]]));
    expect([...tracked.registry.keys()]).toEqual(["a.b", "c"]);
    expect(await tracked.drain(1_000)).toBe(true);
  });

  it("passes a handler's failure through to Probot", async () => {
    const failing: EventHandler = async () => {
      throw new Error("store down");
    };
    const tracked = trackInFlight(buildRegistry([["a", failing]]));
    await expect(tracked.registry.get("a")!({} as never, {} as never)).rejects.toThrow("store down");
    expect(await tracked.drain(1_000)).toBe(true);
  });
});
