// Local development: GitHub delivers to a smee.io channel (WEBHOOK_PROXY_URL) and this relay forwards
// each delivery, headers and signature included, to repol's own webhook endpoint.
import { SmeeClient } from "smee-client";

export interface RelayLog {
  info(message: string): void;
  error(message: string): void;
}

export interface WebhookRelay {
  stop(): Promise<void>;
}

export interface RelayOptions {
  /** The smee.io channel, e.g. https://smee.io/abc123. */
  source: string;
  /** Where repol listens for webhooks, e.g. http://127.0.0.1:3000/api/github/webhooks. */
  target: string;
  log: RelayLog;
  /** Give up connecting after this long; the server keeps running without the relay. */
  connectTimeoutMs?: number;
}

/** Connects to the channel and forwards deliveries until stopped. Resolves once connected. */
export async function startWebhookRelay({ source, target, log, connectTimeoutMs = 10_000 }: RelayOptions): Promise<WebhookRelay> {
  const client = new SmeeClient({
    source,
    target,
    maxConnectionTimeout: connectTimeoutMs,
    logger: {
      info: (...parts: unknown[]) => log.info(`webhook relay: ${parts.map(String).join(" ")}`),
      error: (...parts: unknown[]) => log.error(`webhook relay: ${parts.map(describe).join(" ")}`),
    },
  });
  await client.start();
  return { stop: () => client.stop() };
}

/** repol's webhook URL as seen from the same machine (a wildcard bind address is not a destination). */
export function localWebhookUrl(host: string, port: number, path: string): string {
  const reachable = host === "0.0.0.0" || host === "::" || host === "" ? "127.0.0.1" : host.includes(":") ? `[${host}]` : host;
  return `http://${reachable}:${port}${path}`;
}

function describe(part: unknown): string {
  return part instanceof Error ? part.message : typeof part === "object" && part !== null && "message" in part ? String(part.message) : String(part);
}
