// Group commit for the SQLite work tables. With synchronous=FULL every commit waits for an fsync, so one
// commit per webhook caps the intake at the disk's fsync rate. Writes asked for while the event loop is
// busy (the requests parsed in one turn) wait for the next turn and are written in ONE transaction: one
// fsync serves them all, and each caller's promise settles only once that transaction is on disk.
// Each write runs in its own savepoint, so one write that fails is undone alone; a batch whose commit
// fails rejects every write in it, and none of them is on disk.
import type Database from "better-sqlite3";

export interface GroupCommit {
  /** Runs `work` in the next shared transaction; resolves with its result once that is committed. */
  write<T>(work: () => T): Promise<T>;
  /** Transactions that changed rows and were committed (each one fsync): what batching saves. */
  readonly commits: number;
  /** Writes what is waiting now instead of at the next turn (before the connection closes). */
  flush(): void;
}

export interface GroupCommitOptions {
  /**
   * Called inside each batch's transaction just before it commits, with the number of writes in it.
   * Throwing rolls the whole batch back, as a failed commit would (tests use it to fail one).
   */
  beforeCommit?(writes: number): void;
}

interface Pending {
  work: () => unknown;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

export function sqliteGroupCommit(db: Database.Database, options: GroupCommitOptions = {}): GroupCommit {
  let pending: Pending[] = [];
  let commits = 0;
  const changesSoFar = db.prepare("SELECT total_changes()").pluck();
  const totalChanges = () => changesSoFar.get() as number;

  const flush = () => {
    const batch = pending;
    pending = [];
    if (batch.length === 0) return;
    let changesBefore = 0;
    let outcomes: Outcome[];
    try {
      changesBefore = totalChanges();
      // IMMEDIATE takes the write lock first, so a second connection cannot interleave its claims.
      outcomes = db
        .transaction(() => {
          const each = batch.map(({ work }): Outcome => {
            try {
              // A nested better-sqlite3 transaction is a savepoint: a failing write is undone alone.
              return { ok: true, value: db.transaction(work)() };
            } catch (error) {
              return { ok: false, error };
            }
          });
          options.beforeCommit?.(batch.length);
          return each;
        })
        .immediate();
    } catch (error) {
      for (const write of batch) write.reject(error);
      return;
    }
    if (totalChanges() > changesBefore) commits++;
    batch.forEach((write, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) write.resolve(outcome.value);
      else write.reject(outcome.error);
    });
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
  };
}
