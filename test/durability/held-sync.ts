// A sync function the test controls, for the group commit's `sync` dependency: each call waits until
// the test releases (or fails) it, so a test can look at what was answered while the disk "works".
import type { SyncFunction } from "../../src/durability/wal-file.js";

export interface HeldSync {
  sync: SyncFunction;
  /** Syncs asked for so far. */
  readonly calls: number;
  /** Syncs asked for and not yet released or failed. */
  readonly waiting: number;
  /** Lets the oldest waiting sync succeed. */
  release(): void;
  /** Makes the oldest waiting sync fail with `error`. */
  fail(error: Error): void;
  /** Lets every sync succeed at once from now on (and the waiting ones now). */
  releaseAll(): void;
  /** Holds every sync from now on again. */
  hold(): void;
}

export function heldSync(): HeldSync {
  const held: { resolve(): void; reject(error: Error): void }[] = [];
  let calls = 0;
  let open = false;
  const oldest = () => {
    const next = held.shift();
    if (!next) throw new Error("no sync is waiting");
    return next;
  };
  return {
    sync: () => {
      calls++;
      return open ? Promise.resolve() : new Promise<void>((resolve, reject) => held.push({ resolve, reject }));
    },
    get calls() {
      return calls;
    },
    get waiting() {
      return held.length;
    },
    release: () => oldest().resolve(),
    fail: (error) => oldest().reject(error),
    releaseAll() {
      open = true;
      for (const sync of held.splice(0)) sync.resolve();
    },
    hold() {
      open = false;
    },
  };
}

/** Whether `promise` has settled, without waiting for it: checked after the turns already queued run. */
export async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  promise.then(
    () => (done = true),
    () => (done = true),
  );
  await new Promise((resolve) => setImmediate(resolve));
  return done;
}
