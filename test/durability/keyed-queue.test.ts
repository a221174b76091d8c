import { describe, expect, it } from "vitest";
import { createKeyedQueue } from "../../src/durability/keyed-queue.js";

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe("createKeyedQueue", () => {
  it("runs work for the same key one after the other, in arrival order", async () => {
    const queue = createKeyedQueue();
    const log: string[] = [];
    const gate = deferred();
    const first = queue("acme/widgets@abc", async () => {
      log.push("first:start");
      await gate.promise;
      log.push("first:end");
    });
    const second = queue("acme/widgets@abc", async () => {
      log.push("second:start");
    });
    await Promise.resolve();
    expect(log).toEqual(["first:start"]);
    gate.resolve();
    await Promise.all([first, second]);
    expect(log).toEqual(["first:start", "first:end", "second:start"]);
  });

  it("lets different keys run at the same time", async () => {
    const queue = createKeyedQueue();
    const gate = deferred();
    const log: string[] = [];
    const blocked = queue("a", async () => {
      await gate.promise;
      log.push("a");
    });
    await queue("b", async () => {
      log.push("b");
    });
    expect(log).toEqual(["b"]);
    gate.resolve();
    await blocked;
  });

  it("keeps going after a failed job and hands each caller its own result", async () => {
    const queue = createKeyedQueue();
    const failing = queue("k", async () => {
      throw new Error("boom");
    });
    const next = queue("k", async () => 42);
    await expect(failing).rejects.toThrow("boom");
    await expect(next).resolves.toBe(42);
  });

  it("forgets a key once its work is done", async () => {
    const queue = createKeyedQueue();
    await queue("k", async () => undefined);
    await new Promise((r) => setImmediate(r));
    expect(queue.size).toBe(0);
  });
});
