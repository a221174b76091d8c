// Group commit for the SQLite store. Writes asked for while the event loop is busy (the requests parsed
// in one turn) wait for the next turn and are written in ONE transaction, and each caller's promise
// settles only once that transaction is on disk. The transaction commits at synchronous=NORMAL and the
// sync that makes it durable runs off the event loop (wal-file.ts, sync-pipeline.ts): the loop never
// blocks on the disk, and nothing is acknowledged before it is there.
// Each write runs in its own savepoint, so one write that fails is undone alone; a batch whose commit
// fails rejects every write in it, and none of them is on disk.
import type Database from "better-sqlite3";
import { syncPipeline } from "./sync-pipeline.js";
import type { SyncFunction } from "./wal-file.js";

export interface GroupCommit {
  /** Runs `work` in the next shared transaction; resolves with its result once that is on disk. */
  write<T>(work: () => T): Promise<T>;
  /** Transactions that changed rows and were committed: what batching saves. */
  readonly commits: number;
  /** Commits what is waiting now instead of at the next turn (before the connection closes). */
  flush(): void;
  /**
   * Reads now and answers once what it read is on disk: a reader may see a batch committed and not yet
   * synced, and must not pass on (to the audit API, to a decision) a row a power cut could still undo.
   */
  read<T>(read: () => T): Promise<T>;
  /** Resolves once everything committed so far is on disk. */
  synced(): Promise<void>;
  /** Set once a sync failed: no write is accepted or acknowledged after it (see sync-pipeline.ts). */
  readonly failure: unknown;
}

export interface GroupCommitOptions {
  /**
   * Called inside each batch's transaction just before it commits, with the number of writes in it.
   * Throwing rolls the whole batch back, as a failed commit would (tests use it to fail one).
   */
  beforeCommit?(writes: number): void;
  /** Puts the committed transactions on disk; the store passes the -wal file's (tests hold or fail it). */
  sync?: SyncFunction;
}

interface Pending {
  work: () => unknown;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/** For a database with nothing to sync (":memory:"). */
const nothingToSync: SyncFunction = async () => undefined;

export function sqliteGroupCommit(db: Database.Database, options: GroupCommitOptions = {}): GroupCommit {
  let pending: Pending[] = [];
  let commits = 0;
  const durable = syncPipeline(options.sync ?? nothingToSync);
  const changesSoFar = db.prepare("SELECT total_changes()").pluck();
  const totalChanges = () => changesSoFar.get() as number;

  // Both transaction functions are made once: better-sqlite3 builds a wrapper for each db.transaction().
  // A nested better-sqlite3 transaction is a savepoint: a failing write is undone alone.
  const inSavepoint = db.transaction((work: () => unknown) => work());
  const inTransaction = db.transaction((batch: Pending[]): Outcome[] => {
    const each = batch.map(({ work }): Outcome => {
      try {
        return { ok: true, value: inSavepoint(work) };
      } catch (error) {
        return { ok: false, error };
      }
    });
    options.beforeCommit?.(batch.length);
    return each;
  });
  // IMMEDIATE takes the write lock first, so a second connection cannot interleave its claims.
  const commit = (batch: Pending[]): Outcome[] => inTransaction.immediate(batch);

  const flush = () => {
    const batch = pending;
    pending = [];
    if (batch.length === 0) return;
    let outcomes: Outcome[];
    let wrote: boolean;
    try {
      if (durable.failure !== undefined) throw durable.failure;
      const changesBefore = totalChanges();
      outcomes = commit(batch);
      // Rows inserted, updated or deleted; schema changes alone are not counted, which is why a migration
      // records itself in schema_migrations in the same batch.
      wrote = totalChanges() > changesBefore;
    } catch (error) {
      for (const write of batch) write.reject(error);
      return;
    }
    if (wrote) commits++;
    durable.afterSync((syncError) => {
      batch.forEach((write, i) => {
        const outcome = outcomes[i]!;
        if (syncError !== undefined) write.reject(syncError);
        else if (outcome.ok) write.resolve(outcome.value);
        else write.reject(outcome.error);
      });
    }, wrote);
  };

  return {
    write<T>(work: () => T): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        // setImmediate runs after the pending I/O of this turn: every request already read joins the batch.
        if (pending.length === 0) setImmediate(flush);
        pending.push({ work, resolve: resolve as (value: unknown) => void, reject });
      });
    },
    get commits() {
      return commits;
    },
    flush,
    async read<T>(read: () => T): Promise<T> {
      const value = read();
      await durable.synced();
      return value;
    },
    synced: () => durable.synced(),
    get failure() {
      return durable.failure;
    },
  };
}
