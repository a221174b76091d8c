// The -wal file of a SQLite store, synced by repol itself rather than by SQLite inside each commit.
// SQLite's documentation: in WAL mode a commit appends its frames to the -wal file; at
// synchronous=FULL it also syncs that file before the commit returns, at NORMAL it does not (a commit
// may then roll back after a power loss or OS crash, though never after a crash of the process alone)
// and syncs only around checkpoints. Committing at NORMAL and then fdatasync-ing the -wal file before
// any writer hears back gives FULL's guarantee: the sync covers the frames and the file's size. It runs
// in libuv's thread pool, so the event loop never waits for the disk.
// The descriptor stays valid for the life of the store: SQLite reuses the file in place after a
// checkpoint (restart or truncation keep the inode) and deletes it only when the last connection to the
// database closes, which this store's own connection prevents until close().
import { closeSync, fdatasync, openSync } from "node:fs";
import { open } from "node:fs/promises";
import { dirname } from "node:path";

export type SyncFunction = () => Promise<void>;

export interface WalFile {
  /** Puts everything written to the -wal file so far on disk. */
  sync: SyncFunction;
  close(): void;
}

/** Opens the -wal file of `dbPath`, which SQLite creates when the connection switches to WAL mode. */
export function walFile(dbPath: string): WalFile {
  const path = `${dbPath}-wal`;
  const fd = openSync(path, "r");
  // SQLite syncs the directory the first time it syncs a -wal file it created, so that the file itself
  // survives a power loss; at NORMAL that may not happen before a checkpoint, so the first sync does it.
  let directory: Promise<void> | undefined;
  return {
    async sync() {
      directory ??= syncDirectory(dirname(dbPath));
      try {
        await directory;
        await datasync(fd);
      } catch (error) {
        throw new Error(`could not sync ${path} to disk: ${(error as Error).message}`, { cause: error });
      }
    },
    close: () => closeSync(fd),
  };
}

// A named function, not an arrow inside sync(): CPU profiles then show the sync under its own name
// (V8 named the inline arrow after the error options next to it, as though an Error were built per sync;
// none is: the Error above is made only when a sync fails).
function datasync(fd: number): Promise<void> {
  return new Promise<void>((resolve, reject) => fdatasync(fd, (error) => (error ? reject(error) : resolve())));
}

async function syncDirectory(path: string): Promise<void> {
  const handle = await open(path, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
