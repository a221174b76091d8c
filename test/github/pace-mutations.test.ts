// The per-installation lane mutations go through, on a clock moved by hand: one at a time, at most the
// minute's budget, and no memory kept for installations that have gone quiet.
import { describe, expect, it } from "vitest";
import { isMutation, mutationLanes, type PaceClock } from "../../src/github/pace-mutations.js";

/** A clock whose sleeps end only when the test moves time past them. */
function handClock(): PaceClock & { advance(ms: number): void; readonly sleeps: number[] } {
  let now = 0;
  const sleeping: { until: number; wake: () => void }[] = [];
  const sleeps: number[] = [];
  return {
    now: () => now,
    sleep: (ms) =>
      new Promise<void>((wake) => {
        sleeps.push(ms);
        sleeping.push({ until: now + ms, wake });
      }),
    advance(ms) {
      now += ms;
      for (const sleeper of sleeping.filter((s) => s.until <= now)) {
        sleeping.splice(sleeping.indexOf(sleeper), 1);
        sleeper.wake();
      }
    },
    sleeps,
  };
}

const settled = () => new Promise((resolve) => setImmediate(resolve));

describe("isMutation", () => {
  it.each([
    { request: { method: "GET", url: "/repos/o/r/pulls" }, mutation: false },
    { request: { method: "HEAD", url: "/repos/o/r" }, mutation: false },
    { request: { method: "POST", url: "/graphql", query: "query RepolFacts { viewer { login } }" }, mutation: false },
    { request: { method: "POST", url: "/graphql", query: "# facts\n{ viewer { login } }" }, mutation: false },
    { request: { method: "POST", url: "https://ghe.test/api/graphql", query: "# add\nmutation Add { addComment }" }, mutation: true },
    { request: { method: "POST", url: "/app/installations/12/access_tokens" }, mutation: false },
    { request: { method: "POST", url: "/repos/o/r/actions/runs/1/deployment_protection_rule" }, mutation: true },
    { request: { method: "PATCH", url: "/repos/o/r/check-runs/5" }, mutation: true },
    { request: { method: "PUT", url: "/repos/o/r/contents/x" }, mutation: true },
    { request: { method: "DELETE", url: "/repos/o/r/git/refs/heads/x" }, mutation: true },
  ])("says $mutation for $request.method $request.url", ({ request, mutation }) => {
    expect(isMutation(request)).toBe(mutation);
  });
});

describe("mutation lanes", () => {
  it("sends one installation's mutations one at a time, in order", async () => {
    const lanes = mutationLanes(80, handClock());
    const events: string[] = [];
    const answers: (() => void)[] = [];
    const send = (name: string) => () =>
      new Promise<void>((resolve) => {
        events.push(`send ${name}`);
        answers.push(() => (events.push(`answer ${name}`), resolve()));
      });

    const all = Promise.all(["a", "b", "c"].map((name) => lanes.run("installation-1", send(name))));
    for (let i = 0; i < 3; i++) {
      await settled();
      answers.shift()!();
    }
    await all;

    expect(events).toEqual(["send a", "answer a", "send b", "answer b", "send c", "answer c"]);
  });

  it("does not make one installation wait for another's mutation", async () => {
    const lanes = mutationLanes(80, handClock());
    const sent: string[] = [];
    void lanes.run("installation-1", () => (sent.push("1"), new Promise(() => {})));
    void lanes.run("installation-2", async () => void sent.push("2"));
    await settled();
    expect(sent).toEqual(["1", "2"]);
  });

  it("goes on after a mutation that failed", async () => {
    const lanes = mutationLanes(80, handClock());
    await expect(lanes.run("installation-1", () => Promise.reject(new Error("502")))).rejects.toThrow("502");
    await expect(lanes.run("installation-1", async () => "sent")).resolves.toBe("sent");
  });

  it("starts no more than the minute's budget, and the next one when the oldest is a minute old", async () => {
    const clock = handClock();
    const lanes = mutationLanes(2, clock);
    const sent: number[] = [];
    const done = [1, 2, 3].map((n) => lanes.run("installation-1", async () => void sent.push(n)));
    await Promise.all(done.slice(0, 2));
    await settled();
    expect(sent).toEqual([1, 2]);
    expect(clock.sleeps).toEqual([60_000]);

    clock.advance(59_999);
    await settled();
    expect(sent).toEqual([1, 2]);
    clock.advance(1);
    await done[2];
    expect(sent).toEqual([1, 2, 3]);
  });

  it("forgets installations quiet for a minute", async () => {
    const clock = handClock();
    const lanes = mutationLanes(80, clock);
    for (let i = 0; i < 255; i++) await lanes.run(`installation-${i}`, async () => {});
    expect(lanes.size).toBe(255);
    clock.advance(60_000);
    await lanes.run("installation-new", async () => {});
    expect(lanes.size).toBe(1);
  });

  it("refuses a budget that is not a positive whole number", () => {
    expect(() => mutationLanes(0)).toThrow("mutations per minute must be a positive integer, got 0");
  });
});
