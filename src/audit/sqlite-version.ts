// SQLite releases before 3.51.3 can corrupt a WAL database when a write and a checkpoint run at the
// same time; the audit trail must not silently lose rows, so an older bundled SQLite refuses to start.

export const MIN_SQLITE_VERSION = "3.51.3";

/** Negative when a < b, 0 when equal, positive when a > b ("3.9.0" < "3.10.0"). */
export function compareVersions(a: string, b: string): number {
  const left = parseVersion(a);
  const right = parseVersion(b);
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    const diff = (left[i] ?? 0) - (right[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}

export function assertSupportedSqlite(version: string): void {
  if (compareVersions(version, MIN_SQLITE_VERSION) < 0) {
    throw new Error(
      `the bundled SQLite is ${version}, but the audit store needs ${MIN_SQLITE_VERSION} or newer ` +
        `(older WAL code can corrupt the database under concurrent write and checkpoint); ` +
        `upgrade better-sqlite3 or set DATABASE_URL to use PostgreSQL`,
    );
  }
}

function parseVersion(version: string): number[] {
  if (!/^\d+(\.\d+)*$/.test(version)) throw new Error(`"${version}" is not a version like 3.51.3`);
  return version.split(".").map(Number);
}
