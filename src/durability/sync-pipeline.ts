// Acknowledges committed writes only once they are on disk, without waiting on the event loop: the
// group commit commits at synchronous=NORMAL (the frames reach the -wal file, not the disk) and hands
// each batch's answers here; they are given once a sync that began after the commit has finished.
// Pipelined: while one sync runs, further batches commit and wait; the next sync starts when it ends
// and covers all of them (an fsync covers every write to the file made before it began).
import type { SyncFunction } from "./wal-file.js";

/** Gives a batch its answers: without an error once its commit is on disk, with one if the sync failed. */
export type Settle = (syncError?: unknown) => void;

export interface SyncPipeline {
  /**
   * Settles after a sync covering everything committed so far. `wrote`: this batch changed rows.
   * A batch that changed nothing may still have read rows of a commit not yet on disk, so it waits
   * for the sync in flight (or queued) too, but starts none of its own.
   */
  afterSync(settle: Settle, wrote: boolean): void;
  /** Resolves once everything committed so far is on disk; rejects if that sync failed. */
  synced(): Promise<void>;
  /** The error of the first failed sync: from then on nothing is acknowledged (see below). */
  readonly failure: unknown;
}

export function syncPipeline(sync: SyncFunction): SyncPipeline {
  let queued: Settle[] = [];
  let inFlight: Settle[] | undefined;
  let failure: unknown;

  const start = () => {
    const covered: Settle[] = queued;
    queued = [];
    if (failure !== undefined) {
      for (const settle of covered) settle(failure);
      return;
    }
    inFlight = covered;
    const settleAll = (error?: unknown) => {
      // Cleared first: a caller settled here may ask again, and must wait for the next sync, not this one.
      inFlight = undefined;
      for (const settle of covered) settle(error);
      if (queued.length > 0) start();
    };
    sync().then(
      () => settleAll(),
      (error: unknown) => {
        // After a failed fsync Linux may drop the dirty pages and report success next time, so a later
        // sync proves nothing about these frames: the store stops acknowledging writes (a restart
        // recovers from what is really on disk) rather than risk acknowledging a lost one.
        failure ??= error;
        settleAll(error);
      },
    );
  };

  const pipeline: SyncPipeline = {
    afterSync(settle, wrote) {
      if (failure !== undefined) return settle(failure);
      if (!wrote && queued.length === 0) {
        if (inFlight) inFlight.push(settle);
        else settle();
        return;
      }
      queued.push(settle);
      if (!inFlight) start();
    },
    synced: () => new Promise<void>((resolve, reject) => pipeline.afterSync((error) => (error === undefined ? resolve() : reject(error)), false)),
    get failure() {
      return failure;
    },
  };
  return pipeline;
}
