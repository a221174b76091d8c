// Throttles guessing of the API token: a client (IP address; an IPv6 /64, which one host usually
// holds whole) that fails authentication too often in a window is answered 429 until the window ends.
// Only failures count, and a success does not wipe them (a client polling with the right token from
// behind the same NAT would otherwise reset a guesser's count). While a client is throttled every
// request of it is refused, the right token included: letting a correct guess through would tell the
// guesser which one was right.
import { isIPv4, isIPv6 } from "node:net";
import type { Request, Response } from "express";

export interface FailedAttemptLimiterOptions {
  /** Failures a client may have in one window; the next request in that window is refused. */
  maxFailures?: number;
  windowMs?: number;
  /** Clients remembered at once, so a flood of addresses cannot grow memory without bound. */
  maxClients?: number;
  now?: () => number;
}

export interface FailedAttemptLimiter {
  /** Whole seconds until `client` may try again; 0 when it may now. */
  retryAfterSeconds(client: string): number;
  recordFailure(client: string): void;
  readonly size: number;
}

interface Window {
  startedAt: number;
  failures: number;
}

export const DEFAULT_MAX_FAILURES = 10;
export const DEFAULT_WINDOW_MS = 60_000;

export function createFailedAttemptLimiter({
  maxFailures = DEFAULT_MAX_FAILURES,
  windowMs = DEFAULT_WINDOW_MS,
  maxClients = 10_000,
  now = Date.now,
}: FailedAttemptLimiterOptions = {}): FailedAttemptLimiter {
  const windows = new Map<string, Window>();
  const current = (client: string): Window | undefined => {
    const window = windows.get(client);
    if (window && now() - window.startedAt >= windowMs) {
      windows.delete(client);
      return undefined;
    }
    return window;
  };
  const makeRoom = () => {
    if (windows.size < maxClients) return;
    for (const [client, window] of windows) {
      if (now() - window.startedAt >= windowMs) windows.delete(client);
    }
    // Still full of live windows: drop the oldest (Map keeps insertion order).
    for (const client of windows.keys()) {
      if (windows.size < maxClients) break;
      windows.delete(client);
    }
  };
  return {
    retryAfterSeconds(client) {
      const window = current(client);
      if (!window || window.failures < maxFailures) return 0;
      return Math.max(1, Math.ceil((window.startedAt + windowMs - now()) / 1000));
    },
    recordFailure(client) {
      const window = current(client);
      if (window) {
        window.failures++;
        return;
      }
      makeRoom();
      windows.set(client, { startedAt: now(), failures: 1 });
    },
    get size() {
      return windows.size;
    },
  };
}

/** The key a request's failures are counted under: its IP address as express sees it (behind a proxy, set TRUST_PROXY). */
export function clientKeyOf(req: Pick<Request, "ip" | "socket">): string {
  const address = req.ip ?? req.socket?.remoteAddress ?? "unknown";
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (isIPv4(address)) return address;
  if (isIPv6(address)) return `${expandIPv6(address).slice(0, 4).join(":")}::/64`;
  return address;
}

/** Answers 429 with Retry-After when the client is throttled; true when it did. */
export function refuseWhileThrottled(limiter: FailedAttemptLimiter, client: string, res: Response): boolean {
  const seconds = limiter.retryAfterSeconds(client);
  if (seconds === 0) return false;
  res
    .status(429)
    .set("Retry-After", String(seconds))
    .json({
      error: "too_many_requests",
      message: `too many failed authentication attempts from this address; try again in ${seconds} s with Authorization: Bearer <AUDIT_API_TOKEN>`,
    });
  return true;
}

function expandIPv6(address: string): string[] {
  const [head = "", tail] = address.split("%")[0]!.toLowerCase().split("::");
  const left = head === "" ? [] : head.split(":");
  const right = tail === undefined || tail === "" ? [] : tail.split(":");
  const missing = tail === undefined ? 0 : 8 - left.length - right.length;
  return [...left, ...Array<string>(Math.max(0, missing)).fill("0"), ...right].map((part) => part.replace(/^0+(?=.)/, ""));
}
