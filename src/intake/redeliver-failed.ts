// GitHub never redelivers a failed webhook by itself, and allows a redelivery only for 3 days. While
// repol was down (or unreachable), deployments waiting for its answer would wait until they time out;
// this sweep asks GitHub to deliver again whatever it could not hand over, well inside that window.
import type { Log } from "../domain/log.js";
import { describeFailure, isGitHubFailure, type GitHub } from "../github/github-client.js";

export interface HookDelivery {
  id: number;
  guid: string;
  delivered_at: string;
  status_code: number;
  event: string;
  action?: string | null;
}

export interface RedeliveryOptions {
  /** Which of these delivery guids repol already stored (received, whatever became of them). */
  known(guids: readonly string[]): Promise<Set<string>>;
  /** Only events repol answers are worth asking again. */
  wanted(event: string): boolean;
  now?: Date;
  /** How far back to look; GitHub keeps redelivery possible for 3 days. */
  windowMs?: number;
  /** Redeliveries asked per sweep at most. */
  limit?: number;
}

export interface RedeliveryReport {
  /** Attempts listed by GitHub inside the window. */
  listed: number;
  /** Hook delivery ids whose redelivery was asked. */
  asked: number[];
  /** Asks GitHub refused. */
  refused: number;
}

export const REDELIVERY_WINDOW_MS = 2 * 24 * 60 * 60_000;

const ok = (attempt: HookDelivery) => attempt.status_code >= 200 && attempt.status_code < 300;
// No answer (0: timeout, connection refused) or a server error; a 4xx was repol refusing the delivery
// on purpose (bad signature, too large), which a redelivery would only repeat.
const lost = (attempt: HookDelivery) => attempt.status_code === 0 || attempt.status_code >= 500;

/** Lists the App's recent deliveries and asks GitHub to redeliver the failed ones repol never got. */
export async function redeliverFailed(github: GitHub, options: RedeliveryOptions): Promise<RedeliveryReport> {
  const since = (options.now ?? new Date()).getTime() - (options.windowMs ?? REDELIVERY_WINDOW_MS);
  // Every attempt of one event shares its guid; the event counts as delivered if any attempt got a 2xx.
  const byGuid = new Map<string, { latest: HookDelivery; delivered: boolean }>();
  let listed = 0;
  for await (const page of github.paginate.iterator("GET /app/hook/deliveries", { per_page: 100 })) {
    const attempts = page.data as HookDelivery[];
    let older = false;
    for (const attempt of attempts) {
      if (Date.parse(attempt.delivered_at) < since) {
        older = true;
        continue;
      }
      listed++;
      const seen = byGuid.get(attempt.guid);
      const latest = !seen || Date.parse(attempt.delivered_at) > Date.parse(seen.latest.delivered_at) ? attempt : seen.latest;
      byGuid.set(attempt.guid, { latest, delivered: (seen?.delivered ?? false) || ok(attempt) });
    }
    // Newest first: once a page reaches past the window, later pages are all older.
    if (older) break;
  }
  const failed = [...byGuid.entries()].filter(([, { delivered, latest }]) => !delivered && lost(latest) && options.wanted(latest.event));
  const known = await options.known(failed.map(([guid]) => guid));
  const toAsk = failed
    .filter(([guid]) => !known.has(guid))
    .map(([, { latest }]) => latest)
    .sort((a, b) => Date.parse(a.delivered_at) - Date.parse(b.delivered_at))
    .slice(0, options.limit ?? 50);
  const report: RedeliveryReport = { listed, asked: [], refused: 0 };
  for (const attempt of toAsk) {
    try {
      await github.request("POST /app/hook/deliveries/{delivery_id}/attempts", { delivery_id: attempt.id });
      report.asked.push(attempt.id);
    } catch {
      report.refused++;
    }
  }
  return report;
}

export interface RedeliverySweepOptions {
  /** An Octokit authenticated as the App itself (JWT), not as an installation. */
  appClient(): Promise<GitHub>;
  /** The delivery log: which of these delivery guids repol already stored. */
  deliveries: { known(ids: readonly string[]): Promise<Set<string>> };
  wanted(event: string): boolean;
  log: Log;
  intervalMinutes: number;
}

/** Runs the sweep now and every `intervalMinutes`; returns how to stop it. Never throws out of the timer. */
export function startRedeliverySweep(options: RedeliverySweepOptions): () => void {
  if (options.intervalMinutes <= 0) return () => undefined;
  let running = false;
  const sweep = async () => {
    if (running) return;
    running = true;
    try {
      const report = await redeliverFailed(await options.appClient(), { known: (guids) => options.deliveries.known(guids), wanted: options.wanted });
      if (report.asked.length > 0 || report.refused > 0) options.log.info({ ...report }, "asked GitHub to redeliver webhooks repol never received");
    } catch (error) {
      // GitHub down or refusing is expected now and then: one line, no stack. Anything else is a bug worth its trace.
      const again = `will try again in ${options.intervalMinutes} min`;
      if (isGitHubFailure(error)) options.log.warn(`redelivery sweep failed: ${describeFailure(error)} while listing the App's webhook deliveries; ${again}`);
      else options.log.error({ err: error }, `redelivery sweep failed; ${again}`);
    } finally {
      running = false;
    }
  };
  void sweep();
  const timer = setInterval(() => void sweep(), options.intervalMinutes * 60_000);
  timer.unref();
  return () => clearInterval(timer);
}
