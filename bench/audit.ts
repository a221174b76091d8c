// GET /audit latency on a 1,000,000-row SQLite audit trail, through the real router over HTTP, plus
// insert throughput. Run: npm run bench:audit (BENCH_AUDIT_ROWS=100000 for a quicker look).
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import Database from "better-sqlite3";
import express from "express";
import { NEWEST_FIRST, whereClause } from "../src/audit/audit-filters.js";
import { AUDIT_COLUMNS, newRowParams } from "../src/audit/audit-row.js";
import type { AuditQuery, NewAuditRecord } from "../src/audit/record.js";
import { openSqliteStore } from "../src/audit/sqlite-store.js";
import { auditRouter } from "../src/http/audit-router.js";

const ROWS = Number(process.env.BENCH_AUDIT_ROWS ?? 1_000_000);
const REQUESTS = Number(process.env.BENCH_AUDIT_REQUESTS ?? 200);
const SINGLE_INSERTS = 2_000;
const BATCH = 10_000;
const DAYS = 90;
const TOKEN = "bench-token";

const repos = Array.from({ length: 200 }, (_, i) => `org-${i % 20}/service-${i}`);
const actors = Array.from({ length: 300 }, (_, i) => `dev-${i}`);
// mulberry32: a seeded generator, so every run loads the same distribution.
let seed = 42;
const random = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
};
const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)];
const hex = (n: number) => randomBytes(n / 2).toString("hex");
const shaPool = Array.from({ length: 4096 }, () => hex(40));
const sha = () => pick(shaPool);

function syntheticRow(i: number): NewAuditRecord {
  const r = random();
  const decision = r < 0.85 ? "allow" : r < 0.97 ? "deny" : "error";
  const pullRequest = random() < 0.3;
  const repository = pick(repos);
  const environment = pullRequest ? null : random() < 0.55 ? "production" : "staging";
  const violations = decision === "deny" ? [{ code: "approvals", msg: "needs 2 approvals from @acme/release, has 1" }] : [];
  return {
    delivery_id: randomUUID(),
    event: pullRequest ? "pull_request" : "deployment_protection_rule",
    action: pullRequest ? "synchronize" : "requested",
    policy: pullRequest ? "pullrequest" : "deploy",
    decision,
    repository,
    installation_id: 40_000_000 + (i % 50),
    environment,
    ref: pullRequest ? `refs/pull/${i % 5000}/head` : "refs/heads/main",
    sha: sha(),
    pr_number: pullRequest ? 1 + (i % 5000) : null,
    actor: pick(actors),
    violations,
    warnings: [],
    // A policy input of realistic size (~1 KB).
    input: {
      repository: { full_name: repository, default_branch: "main", visibility: "private" },
      environment: environment && { name: environment, rules: { approvals_required: 2, allowed_branches: ["main", "release/*"] } },
      approvals: [pick(actors), pick(actors)],
      checks: [
        { name: "build", conclusion: "success" },
        { name: "test", conclusion: decision === "allow" ? "success" : "failure" },
      ],
      commits: [{ sha: sha(), verified: true, author: pick(actors) }],
      window: { timezone: "Europe/Berlin", days: ["mon", "tue", "wed", "thu"], from: "08:00", to: "17:00" },
    },
    bundle_digest: "sha256:4b1e9f0c3c2d8a7e6f5d4c3b2a1908f7e6d5c4b3a29180f7e6d5c4b3a2918070",
    config_sha: sha(),
    duration_ms: Math.round(random() * 4000) / 100,
    effect: pullRequest ? { kind: "check_run", ok: true, status: 201, check_run_id: i } : { kind: "deployment_callback", ok: true, status: 204 },
    error: decision === "error" ? "GitHub answered 502 while reading reviews" : null,
  };
}

/** Loads ROWS rows spread over the last DAYS days; returns rows/s of database time (generation excluded). */
function bulkLoad(path: string, now: number): number {
  const db = new Database(path);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = FULL");
  const insert = db.prepare(`INSERT INTO audit_records (${AUDIT_COLUMNS.join(", ")}) VALUES (${AUDIT_COLUMNS.map(() => "?").join(", ")})`);
  const step = (DAYS * 86_400_000) / ROWS;
  let dbMs = 0;
  for (let start = 0; start < ROWS; start += BATCH) {
    const batch: unknown[][] = [];
    for (let i = start; i < Math.min(start + BATCH, ROWS); i++) {
      const created = new Date(now - DAYS * 86_400_000 + Math.floor(i * step));
      batch.push(newRowParams(syntheticRow(i), created).params);
    }
    const started = performance.now();
    db.transaction(() => {
      for (const params of batch) insert.run(...params);
    })();
    dbMs += performance.now() - started;
    if ((start / BATCH) % 10 === 9) process.stderr.write(`  ${(start + BATCH).toLocaleString("en")} rows\r`);
  }
  db.exec("ANALYZE");
  db.close();
  return ROWS / (dbMs / 1000);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function timeRequests(base: string, paths: () => string, requests = REQUESTS): Promise<{ median: number; p95: number; rows: number }> {
  const times: number[] = [];
  let rows = 0;
  for (let i = 0; i < requests + 20; i++) {
    const started = performance.now();
    const response = await fetch(`${base}${paths()}`, { headers: { authorization: `Bearer ${TOKEN}` } });
    const body = (await response.json()) as { rows?: unknown[] };
    const elapsed = performance.now() - started;
    if (response.status !== 200) throw new Error(`GET ${paths()} answered ${response.status}: ${JSON.stringify(body)}`);
    if (i >= 20) times.push(elapsed); // the first 20 warm the page cache and the statement cache
    rows += body.rows?.length ?? 0;
  }
  times.sort((a, b) => a - b);
  return { median: percentile(times, 50), p95: percentile(times, 95), rows: rows / (requests + 20) };
}

function planOf(path: string, q: AuditQuery): string {
  const db = new Database(path, { readonly: true });
  const where = whereClause(q);
  const plan = db.prepare(`EXPLAIN QUERY PLAN SELECT * FROM audit_records ${where.sql} ${NEWEST_FIRST} LIMIT 51`).all(...where.params) as { detail: string }[];
  db.close();
  return plan.map((p) => p.detail).join("; ");
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "repol-bench-audit-"));
  const path = join(dir, "audit.db");
  try {
    const now = Date.now();
    const setup = openSqliteStore(path);
    await setup.migrate();
    await setup.close();
    console.log(`Loading ${ROWS.toLocaleString("en")} rows into ${path} ...`);
    const bulkRate = bulkLoad(path, now);

    const store = openSqliteStore(path);
    await store.migrate();
    const singleStarted = performance.now();
    for (let i = 0; i < SINGLE_INSERTS; i++) await store.insert(syntheticRow(ROWS + i));
    const singleRate = SINGLE_INSERTS / ((performance.now() - singleStarted) / 1000);

    const app = express().use("/audit", auditRouter({ store, token: TOKEN }));
    const server: Server = await new Promise((resolve) => {
      const listening = app.listen(0, "127.0.0.1", () => resolve(listening));
    });
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const since = new Date(now - 86_400_000).toISOString();
    const scenarios: [string, () => string, AuditQuery][] = [
      ["unfiltered page (limit 50)", () => "/audit", {}],
      ["repository + decision=deny", () => `/audit?repository=${pick(repos)}&decision=deny`, { repository: repos[0], decision: "deny" }],
      ["since-window (last 24 h)", () => `/audit?since=${since}`, { since }],
    ];
    const results = [];
    for (const [name, paths, q] of scenarios) {
      const { median, p95, rows } = await timeRequests(base, paths);
      results.push({ scenario: name, "median ms": median.toFixed(2), "p95 ms": p95.toFixed(2), "rows/page": Math.round(rows), plan: planOf(path, q) });
    }
    const summaries = [];
    for (const [name, path] of [
      ["summary, last 7 days", `/audit/summary?since=${new Date(now - 7 * 86_400_000).toISOString()}`],
      ["summary, whole trail", "/audit/summary"],
    ]) {
      const { median, p95 } = await timeRequests(base, () => path, 10);
      summaries.push(`${name}: median ${median.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms`);
    }
    const exportStarted = performance.now();
    const exported = await fetch(`${base}/audit/export?repository=${repos[0]}`, { headers: { authorization: `Bearer ${TOKEN}` } });
    const exportedRows = (await exported.text()).split("\n").length - 1;
    const exportSeconds = (performance.now() - exportStarted) / 1000;
    server.close();
    await store.close();

    console.log(
      `\nSQLite audit store, ${ROWS.toLocaleString("en")} rows, file ${(statSync(path).size / 2 ** 20).toFixed(0)} MiB, ${REQUESTS} requests per scenario over HTTP on 127.0.0.1`,
    );
    console.table(results.map(({ plan: _plan, ...row }) => row));
    console.log(`bulk insert (10,000-row transactions, database time only): ${Math.round(bulkRate).toLocaleString("en")} rows/s`);
    console.log(`single-row insert (store.insert, one fsync'd transaction each): ${Math.round(singleRate).toLocaleString("en")} rows/s`);
    for (const line of summaries) console.log(line);
    console.log(
      `export (NDJSON, one repository): ${exportedRows.toLocaleString("en")} rows in ${exportSeconds.toFixed(2)} s = ${Math.round(exportedRows / exportSeconds).toLocaleString("en")} rows/s`,
    );
    console.log("\nquery plans:");
    for (const r of results) console.log(`  ${r.scenario}: ${r.plan}`);
    const worst = Math.max(...results.map((r) => Number(r["p95 ms"])));
    console.log(`\ntarget p95 < 50 ms: ${worst < 50 ? "met" : "MISSED"} (worst p95 ${worst.toFixed(2)} ms)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
