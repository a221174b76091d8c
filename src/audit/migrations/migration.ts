/** One schema change. Versions start at 1 and only ever grow: an applied migration is never edited. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Pending migrations after `appliedVersion`, refusing a database newer than this code. */
export function pendingMigrations(all: readonly Migration[], appliedVersion: number, where: string): Migration[] {
  const latest = all.at(-1)?.version ?? 0;
  if (appliedVersion > latest) {
    throw new Error(
      `${where}: the audit schema is at version ${appliedVersion} but this repol only knows up to ${latest}; ` +
        `run a newer repol (or restore a matching backup) instead of downgrading`,
    );
  }
  return all.filter((m) => m.version > appliedVersion);
}
