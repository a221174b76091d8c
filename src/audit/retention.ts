// Retention: rows older than AUDIT_RETENTION_DAYS are removed at start and then every hour.
import type { Log } from "../domain/log.js";
import type { AuditStore } from "./store.js";

export const RETENTION_INTERVAL_MS = 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

/** Removes rows created more than `days` days before `now`. */
export async function purgeExpired(store: AuditStore, days: number, now: Date = new Date()): Promise<number> {
  return store.purgeOlderThan(new Date(now.getTime() - days * DAY_MS).toISOString());
}

/**
 * Starts the schedule and returns a function that stops it. `days` = 0 keeps rows forever.
 * The timer is unref'd so it never keeps the process alive on shutdown.
 */
export function startRetention(store: AuditStore, days: number, log: Pick<Log, "info" | "error">, intervalMs = RETENTION_INTERVAL_MS): () => void {
  if (!Number.isInteger(days) || days < 0) throw new RangeError(`AUDIT_RETENTION_DAYS must be a non-negative integer, got ${days}`);
  if (days === 0) {
    log.info("audit retention disabled (AUDIT_RETENTION_DAYS=0): rows are kept forever");
    return () => undefined;
  }
  let running = false;
  const run = async () => {
    // A slow purge must not overlap the next tick.
    if (running) return;
    running = true;
    try {
      const removed = await purgeExpired(store, days);
      if (removed > 0) log.info(`audit retention removed ${removed} rows older than ${days} days`);
    } catch (error) {
      log.error(`audit retention failed, will retry in ${Math.round(intervalMs / 60_000)} min: ${(error as Error).message}`);
    } finally {
      running = false;
    }
  };
  void run();
  const timer = setInterval(() => void run(), intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
