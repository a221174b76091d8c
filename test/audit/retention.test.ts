import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { openSqliteStore, type SqliteAuditStore } from "../../src/audit/sqlite-store.js";
import { purgeExpired, startRetention } from "../../src/audit/retention.js";
import { auditRow, TestClock } from "./fixtures.js";

const DAY = 86_400_000;

describe("audit retention", () => {
  let dir: string;
  let store: SqliteAuditStore;
  let clock: TestClock;
  const messages: string[] = [];
  const log = { info: (m: string) => messages.push(`info: ${m}`), error: (m: string) => messages.push(`error: ${m}`) };

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), "repol-retention-"));
    clock = new TestClock(new Date(Date.now() - 100 * DAY).toISOString());
    store = openSqliteStore(join(dir, "audit.db"), { clock: clock.now });
    await store.migrate();
    messages.length = 0;
  });

  afterEach(async () => {
    vi.useRealTimers();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** One row per given age in days (100, 91, 89, 1 ...). */
  async function rowsAged(ages: number[]): Promise<void> {
    for (const age of ages) {
      clock.set(new Date(Date.now() - age * DAY).toISOString());
      await store.insert(auditRow());
    }
  }

  it("removes rows older than the retention period and keeps the rest", async () => {
    await rowsAged([100, 91, 89, 1]);
    expect(await purgeExpired(store, 90)).toBe(2);
    expect(await store.count({})).toBe(2);
  });

  it("purges once at start and then on every interval, logging what it removed", async () => {
    await rowsAged([100]);
    const stop = startRetention(store, 90, log, 25);
    await vi.waitFor(() => expect(messages).toContain("info: audit retention removed 1 rows older than 90 days"));
    // Oldest first, as a clock writes them: retention removes a prefix of the hash chain.
    await rowsAged([95, 50]);
    await vi.waitFor(() => expect(messages.filter((m) => m.includes("removed 1 rows"))).toHaveLength(2));
    stop();
    expect(await store.count({})).toBe(1);
  });

  it("stops purging once stopped", async () => {
    const stop = startRetention(store, 90, log, 10);
    await new Promise((resolve) => setTimeout(resolve, 20));
    stop();
    await rowsAged([120]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await store.count({})).toBe(1);
  });

  it("keeps every row when the retention is 0 days, and says so", async () => {
    await rowsAged([3650]);
    const stop = startRetention(store, 0, log, 10);
    await new Promise((resolve) => setTimeout(resolve, 30));
    stop();
    expect(await store.count({})).toBe(1);
    expect(messages).toEqual(["info: audit retention disabled (AUDIT_RETENTION_DAYS=0): rows are kept forever"]);
  });

  it("logs a failed purge and keeps the schedule running", async () => {
    await store.close();
    const stop = startRetention(store, 90, log, 10);
    await vi.waitFor(() => expect(messages.filter((m) => m.startsWith("error: audit retention failed")).length).toBeGreaterThanOrEqual(2));
    stop();
    store = openSqliteStore(join(dir, "audit.db"));
  });

  it("does not keep the process alive", () => {
    const spy = vi.spyOn(globalThis, "setInterval");
    const stop = startRetention(store, 90, log, 60_000);
    const timer = spy.mock.results[0].value as NodeJS.Timeout;
    expect(timer.hasRef()).toBe(false);
    stop();
    spy.mockRestore();
  });

  it("refuses a negative or fractional number of days", () => {
    expect(() => startRetention(store, -1, log)).toThrow(/AUDIT_RETENTION_DAYS/);
    expect(() => startRetention(store, 1.5, log)).toThrow(/AUDIT_RETENTION_DAYS/);
  });
});
