// Local development: GitHub delivers to a smee.io channel (WEBHOOK_PROXY_URL) and this relay forwards
// each delivery, headers and signature included, to repol's own webhook endpoint. A channel that cannot
// be reached (at start or later) is tried again with a growing delay for as long as repol runs, and
// /ready says whether the relay is connected: without it, no webhook reaches this repol at all.
// smee-client is loaded on first connect: a repol without WEBHOOK_PROXY_URL never needs it.
import type { SmeeClient } from "smee-client";
import type { Log } from "./domain/log.js";
import type { ReadinessCheck } from "./http/health.js";

export interface WebhookRelay {
  /** Connects to the channel, and keeps reconnecting, forwarding deliveries to `target`. */
  start(target: string): void;
  stop(): Promise<void>;
  /** Whether deliveries can arrive now. The channel URL is left out: /ready is unauthenticated. */
  readiness(): ReadinessCheck;
  /** Resolves once the relay is connected (at once if it is). */
  connected(): Promise<void>;
}

export interface RelayOptions {
  /** The smee.io channel, e.g. https://smee.io/abc123. */
  source: string;
  log: Pick<Log, "info" | "warn">;
  /** One connection attempt is given up after this long. */
  connectTimeoutMs?: number;
  /** Delay before the first retry; it doubles per failed attempt up to `maxRetryMs`. */
  firstRetryMs?: number;
  maxRetryMs?: number;
}

export function createWebhookRelay({ source, log, connectTimeoutMs = 10_000, firstRetryMs = 1_000, maxRetryMs = 60_000 }: RelayOptions): WebhookRelay {
  let target = "";
  let state: "idle" | "connecting" | "connected" | "stopped" = "idle";
  // A function, so the check after an await sees a stop() that happened meanwhile.
  const stopped = () => state === "stopped";
  let failures = 0;
  let client: SmeeClient | null = null;
  let retryTimer: NodeJS.Timeout | undefined;
  let waiting: (() => void)[] = [];

  const retryAfter = async (attempt: SmeeClient, reason: unknown) => {
    // Stopped explicitly: left alone, the client's event source would keep reconnecting by itself.
    await attempt.stop();
    if (stopped() || client !== attempt) return;
    state = "connecting";
    failures++;
    const delay = Math.min(maxRetryMs, firstRetryMs * 2 ** (failures - 1));
    log.warn(`webhook relay: not connected to the smee channel (${describe(reason)}); retrying in ${formatDelay(delay)}`);
    retryTimer = setTimeout(connect, delay);
    retryTimer.unref();
  };

  const connect = async () => {
    if (stopped()) return;
    state = "connecting";
    const { SmeeClient } = await import("smee-client");
    if (stopped()) return;
    const attempt = new SmeeClient({ source, target, maxConnectionTimeout: connectTimeoutMs, logger: smeeLogger(log) });
    client = attempt;
    try {
      const events = await attempt.start();
      if (stopped() || client !== attempt) {
        await attempt.stop();
        return;
      }
      state = "connected";
      failures = 0;
      for (const resolve of waiting) resolve();
      waiting = [];
      // A connection that drops goes through the same delayed retries as one that never opened.
      events.addEventListener("error", (error) => void retryAfter(attempt, error), { once: true });
    } catch (error) {
      await retryAfter(attempt, error);
    }
  };

  return {
    start(to) {
      target = to;
      void connect();
    },
    async stop() {
      state = "stopped";
      clearTimeout(retryTimer);
      await client?.stop();
    },
    readiness() {
      if (state === "connected") return { name: "relay", ok: true, detail: "connected to the smee channel" };
      const detail = failures === 0 ? "connecting to the smee channel" : `not connected to the smee channel after ${failures} attempts; retrying`;
      return { name: "relay", ok: false, detail };
    },
    connected() {
      return state === "connected" ? Promise.resolve() : new Promise((resolve) => waiting.push(resolve));
    },
  };
}

/** repol's webhook URL as seen from the same machine (a wildcard bind address is not a destination). */
export function localWebhookUrl(host: string, port: number, path: string): string {
  const reachable = host === "0.0.0.0" || host === "::" || host === "" ? "127.0.0.1" : host.includes(":") ? `[${host}]` : host;
  return `http://${reachable}:${port}${path}`;
}

/** smee-client's own lines, minus its connection errors and closes: the retry loop reports those, once each. */
function smeeLogger(log: Pick<Log, "info" | "warn">) {
  const connectionNoise = (parts: unknown[]) =>
    typeof parts[0] === "string" && /^(Error in connection|Connection closed|Connection to .* timed out)/.test(parts[0]);
  return {
    info: (...parts: unknown[]) => {
      if (!connectionNoise(parts)) log.info(`webhook relay: ${parts.map(String).join(" ")}`);
    },
    error: (...parts: unknown[]) => {
      if (!connectionNoise(parts)) log.warn(`webhook relay: ${parts.map(describe).join(" ")}`);
    },
  };
}

function formatDelay(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 1000)} s` : `${ms} ms`;
}

function describe(part: unknown): string {
  if (part instanceof Error) return part.message;
  if (typeof part === "object" && part !== null && "message" in part && part.message) return String(part.message);
  if (typeof part === "object" && part !== null && "code" in part) return `code ${String(part.code)}`;
  return String(part);
}
