// Checkpoints of a SQLite store, run by a worker thread with its own connection so the event loop never
// copies pages or waits for the disk: the store's connection sets wal_autocheckpoint=0 and never
// checkpoints itself (except when it closes). A PASSIVE checkpoint takes no lock a writer needs, so the
// writer never waits for it; the checkpoint syncs the -wal file before copying its frames into the
// database and the database after. Once every frame is copied, the next commit starts the -wal file
// over from the beginning, so it stops growing; journal_size_limit shrinks it after a burst.
// The worker's code is plain JavaScript evaluated in the thread, so it runs the same from the
// TypeScript sources (tests) and from the build.
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

export interface CheckpointResult {
  /** Frames in the -wal file and how many of them are now in the database. */
  log: number;
  checkpointed: number;
  /** The worker thread's id: never 0, the main thread's. */
  threadId: number;
}

export interface WalCheckpoints {
  /** Checkpoints now (the timer does the same). */
  checkpoint(): Promise<CheckpointResult>;
  /** Stops the timer and the worker, and closes its connection. */
  close(): Promise<void>;
  /** Why the worker stopped before close(): the -wal file would then grow without bound. */
  readonly failure: Error | undefined;
}

export const CHECKPOINT_INTERVAL_MS = 1_000;

const WORKER_SOURCE = `
const { parentPort, workerData, threadId } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
db.pragma("wal_autocheckpoint = 0");
parentPort.on("message", (id) => {
  if (id === "close") { db.close(); parentPort.close(); return; }
  try {
    const [result] = db.pragma("wal_checkpoint(PASSIVE)");
    parentPort.postMessage({ id, ok: true, log: result.log, checkpointed: result.checkpointed, threadId });
  } catch (error) {
    parentPort.postMessage({ id, ok: false, error: String(error && error.message || error) });
  }
});
`;

type Reply = { id: number; ok: true; log: number; checkpointed: number; threadId: number } | { id: number; ok: false; error: string };

export function startWalCheckpoints(dbPath: string, intervalMs = CHECKPOINT_INTERVAL_MS, onError: (error: Error) => void = () => undefined): WalCheckpoints {
  const driver = createRequire(import.meta.url).resolve("better-sqlite3");
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { path: dbPath, driver }, resourceLimits: { maxOldGenerationSizeMb: 16 } });
  worker.unref();
  const waiting = new Map<number, { resolve(result: CheckpointResult): void; reject(error: Error): void }>();
  let next = 0;
  const failAll = (error: Error) => {
    for (const { reject } of waiting.values()) reject(error);
    waiting.clear();
  };
  worker.on("message", (reply: Reply) => {
    const caller = waiting.get(reply.id);
    waiting.delete(reply.id);
    if (reply.ok) caller?.resolve({ log: reply.log, checkpointed: reply.checkpointed, threadId: reply.threadId });
    else caller?.reject(new Error(`checkpoint of ${dbPath} failed: ${reply.error}`));
  });
  worker.on("error", (error) => {
    failure ??= new Error(`the checkpoint worker of ${dbPath} failed: ${error.message}`, { cause: error });
    failAll(failure);
  });
  let stopped = false;
  let closing = false;
  let failure: Error | undefined;
  worker.on("exit", () => {
    stopped = true;
    if (!closing) failure ??= new Error(`the checkpoint worker of ${dbPath} has stopped`);
    failAll(failure ?? new Error(`the checkpoint worker of ${dbPath} was closed`));
  });

  const checkpoint = () =>
    new Promise<CheckpointResult>((resolve, reject) => {
      if (stopped) return reject(failure ?? new Error(`the checkpoint worker of ${dbPath} was closed`));
      const id = next++;
      waiting.set(id, { resolve, reject });
      worker.postMessage(id);
    });
  const timer = setInterval(() => checkpoint().catch(onError), intervalMs).unref();
  return {
    checkpoint,
    get failure() {
      return failure;
    },
    async close() {
      clearInterval(timer);
      closing = true;
      if (stopped) return;
      const exited = new Promise((resolve) => worker.once("exit", resolve));
      // Held while it closes its connection: an unref'd worker would let the process end first.
      worker.ref();
      worker.postMessage("close");
      await exited;
    },
  };
}
