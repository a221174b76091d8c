// Which `synchronous` level the built repol sets on its SQLite store, read from dist/ (the setting
// lives on the connection, so the database file cannot tell): the intake figure means little unless
// it is FULL, where nothing is acknowledged before it is on disk, or NORMAL with repol syncing the
// -wal file itself before it acknowledges (durability/wal-file.ts), which keeps FULL's guarantee.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const dist = fileURLToPath(new URL("../../dist/src/", import.meta.url));

export function builtSqliteSynchronous(): string {
  const levels = new Set<string>();
  for (const file of readdirSync(dist, { recursive: true, encoding: "utf8" }).filter((name) => name.endsWith(".js"))) {
    for (const match of readFileSync(join(dist, file), "utf8").matchAll(/pragma\(\s*["'`]synchronous\s*=\s*(\w+)/gi)) levels.add(match[1]!.toUpperCase());
  }
  if (levels.size === 0) return "not found in dist/src";
  const walSynced = readdirSync(join(dist, "durability")).includes("wal-file.js");
  return [...levels].map((level) => (level === "NORMAL" && walSynced ? "NORMAL + -wal fdatasync before each answer (FULL's guarantee)" : level)).join(", ");
}
