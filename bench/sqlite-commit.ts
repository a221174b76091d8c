// What one SQLite commit costs the event loop: wall time (the loop is blocked for all of it, as
// better-sqlite3 is synchronous) against CPU time, with synchronous=FULL (repol's setting: an fsync per
// commit) and NORMAL (no fsync in WAL mode), for a 26 KB delivery body and a one-row update. The gap
// between wall and CPU under FULL is the fsync the event loop waits for; see docs/benchmarks.md.
// "NORMAL + -wal fdatasync" is what repol does (src/durability/wal-file.ts): the loop is blocked only
// for the NORMAL commit, and the write is on disk once the fdatasync run in libuv's pool has ended.
// Run: node --import tsx bench/sqlite-commit.ts (BENCH_ONLY=sqlite-commit npm run bench).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { fdatasync, openSync, closeSync } from "node:fs";
import Database from "better-sqlite3";
import { report } from "./lib/results.js";
import { ms, printTable, summarize } from "./lib/stats.js";

const COMMITS = Number(process.env.BENCH_COMMITS ?? 300);
const BODY = "x".repeat(26_000);
const syncFile = promisify(fdatasync);

const dir = mkdtempSync(join(tmpdir(), "repol-bench-sqlite-"));
const rows: Record<string, string>[] = [];
const fullWall: number[] = [];
try {
  for (const variant of ["FULL", "NORMAL", "NORMAL + -wal fdatasync"] as const) {
    const level = variant === "FULL" ? "FULL" : "NORMAL";
    const path = join(dir, `${variant.replace(/\W+/g, "-")}.db`);
    const db = new Database(path);
    db.pragma("journal_mode = WAL");
    db.pragma(`synchronous = ${level}`);
    db.exec("CREATE TABLE deliveries (id INTEGER PRIMARY KEY, body TEXT, status TEXT)");
    const wal = variant === "NORMAL + -wal fdatasync" ? openSync(`${path}-wal`, "r") : undefined;
    const insert = db.prepare("INSERT INTO deliveries (body, status) VALUES (?, 'pending')");
    const settle = db.prepare("UPDATE deliveries SET status = 'done' WHERE id = ?");
    for (const [what, write] of [
      ["insert a 26 KB delivery", () => insert.run(BODY)],
      ["update one row", (i: number) => settle.run(i + 1)],
    ] as const) {
      const wall: number[] = [];
      const durable: number[] = [];
      const cpuBefore = process.cpuUsage();
      for (let i = 0; i < COMMITS; i++) {
        const started = performance.now();
        db.transaction(() => write(i)).immediate();
        wall.push(performance.now() - started);
        if (wal !== undefined) await syncFile(wal);
        durable.push(performance.now() - started);
      }
      const cpu = process.cpuUsage(cpuBefore);
      const summary = summarize(wall);
      if (variant === "FULL") fullWall.push(summary.median);
      const onDisk = summarize(durable);
      rows.push({
        synchronous: variant,
        commit: what,
        "loop blocked median / p99 ms": `${ms(summary.median)} / ${ms(summary.p99)}`,
        "until on disk median ms": variant === "NORMAL" ? "not on disk" : ms(onDisk.median),
        "CPU ms each": ms((cpu.user + cpu.system) / 1000 / COMMITS),
      });
    }
    if (wal !== undefined) closeSync(wal);
    db.close();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

printTable(`One committed transaction, ${COMMITS} in a row, WAL mode`, rows);
report({
  figures: [
    {
      figure: "Event loop blocked per SQLite commit (synchronous=FULL, WAL; median wall time)",
      goal: "-",
      result: `${fullWall.map((value) => `${ms(value)} ms`).join(" (26 KB insert), ")} (one-row update)`,
      met: null,
    },
  ],
});
