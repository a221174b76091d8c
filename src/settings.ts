// repol's own settings, read once from the environment. Probot reads its own
// (APP_ID, PRIVATE_KEY, WEBHOOK_SECRET, GHE_HOST, ...) itself.
import { isIP } from "node:net";

export interface Settings {
  port: number;
  host: string;
  /** SQLite file, used when DATABASE_URL is not set. */
  auditDbPath: string;
  /** postgres://... selects the PostgreSQL store. */
  databaseUrl: string | null;
  /** Bearer token for the HTTP API; null disables the API (503), never opens it. */
  auditApiToken: string | null;
  auditRetentionDays: number;
  /** Compiled policy WASM produced by `npm run build:policies`. */
  policyWasmPath: string;
  /** Base URL of the GitHub REST API repol talks to (GHE_HOST aware). */
  githubApiUrl: string;
  /** The webhook secret being rotated out; signatures made with it still verify. */
  webhookSecretPrevious: string | null;
  /** Webhook bodies above this are refused with 413 before being read whole. */
  webhookMaxBodyBytes: number;
  /** One GitHub request (one attempt) is abandoned after this long. */
  githubRequestTimeoutMs: number;
  /** Attempts in all for a callback or check run GitHub did not take, before it is given up (dead). */
  outboxMaxAttempts: number;
  /** First retry delay of such an effect; it doubles per attempt, up to 15 minutes. */
  outboxRetryBaseMs: number;
  /** How often every waiting deployment is judged again (ends waits that ran out, catches windows opening, cancelled runs). */
  waitingSweepSeconds: number;
  /** How often failed deliveries are asked again from GitHub (GET /app/hook/deliveries); 0 turns it off. */
  redeliverIntervalMinutes: number;
  /**
   * Express's `trust proxy`: which reverse proxies' X-Forwarded-For names the client (a hop count, or
   * addresses, subnets and loopback/linklocal/uniquelocal). null trusts none: the socket's peer is the client.
   */
  trustProxy: number | string[] | null;
  /** Where people reach repol (https://repol.example.com), without a trailing slash; null: no links to the decision page. */
  publicUrl: string | null;
}

/** GitHub caps webhook payloads at 25 MB; nothing larger can come from GitHub. */
export const DEFAULT_WEBHOOK_MAX_BODY_BYTES = 25 * 1024 * 1024;

export function loadSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  return {
    port: intFrom(env, "PORT", 3000),
    host: env.HOST ?? "0.0.0.0",
    auditDbPath: env.AUDIT_DB_PATH || "./data/repol.db",
    databaseUrl: env.DATABASE_URL || null,
    auditApiToken: env.AUDIT_API_TOKEN || null,
    auditRetentionDays: intFrom(env, "AUDIT_RETENTION_DAYS", 90),
    policyWasmPath: env.POLICY_WASM_PATH || "./build/policies/policy.wasm",
    githubApiUrl: githubApiUrlFrom(env),
    webhookSecretPrevious: env.WEBHOOK_SECRET_PREVIOUS || null,
    webhookMaxBodyBytes: positiveIntFrom(env, "WEBHOOK_MAX_BODY_BYTES", DEFAULT_WEBHOOK_MAX_BODY_BYTES),
    githubRequestTimeoutMs: positiveIntFrom(env, "GITHUB_REQUEST_TIMEOUT_MS", 8_000),
    outboxMaxAttempts: positiveIntFrom(env, "OUTBOX_MAX_ATTEMPTS", 12),
    outboxRetryBaseMs: positiveIntFrom(env, "OUTBOX_RETRY_BASE_MS", 5_000),
    redeliverIntervalMinutes: intFrom(env, "REDELIVER_INTERVAL_MINUTES", 30),
    waitingSweepSeconds: positiveIntFrom(env, "WAITING_SWEEP_SECONDS", 60),
    trustProxy: trustProxyFrom(env),
    publicUrl: publicUrlFrom(env),
  };
}

const NAMED_RANGES = new Set(["loopback", "linklocal", "uniquelocal"]);

/**
 * The failed-token limiter counts per client address, which behind a proxy is the proxy's unless
 * X-Forwarded-For is believed; believing it from anyone would let a client pick its own address, so
 * `true` (trust everything) is refused.
 */
function trustProxyFrom(env: NodeJS.ProcessEnv): number | string[] | null {
  const raw = env.TRUST_PROXY?.trim();
  if (!raw || raw === "false") return null;
  if (/^\d+$/.test(raw)) return intFrom(env, "TRUST_PROXY", 0);
  const entries = raw.split(",").map((entry) => entry.trim());
  const wrong = entries.filter((entry) => !NAMED_RANGES.has(entry) && !isAddressOrSubnet(entry));
  if (wrong.length > 0) {
    throw new Error(
      `TRUST_PROXY must be a number of proxy hops, or a comma-separated list of loopback, linklocal, uniquelocal, ` +
        `addresses and subnets (10.0.0.0/8); "${wrong.join(", ")}" is none of these` +
        (raw === "true" ? " (true would let any client choose the address it is counted under)" : ""),
    );
  }
  return entries;
}

function isAddressOrSubnet(entry: string): boolean {
  const [address = "", prefix, ...rest] = entry.split("/");
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128);
}

/** PUBLIC_URL: an http(s) base URL, possibly with a path prefix; links to decision pages are built on it. */
function publicUrlFrom(env: NodeJS.ProcessEnv): string | null {
  const raw = env.PUBLIC_URL?.trim();
  if (!raw) return null;
  const url = URL.canParse(raw) ? new URL(raw) : null;
  if (!url || !/^https?:$/.test(url.protocol) || url.username || url.password || url.search || url.hash) {
    throw new Error(
      `PUBLIC_URL must be the http(s) address people open repol at, such as https://repol.example.com, without credentials, query or fragment; got "${raw}"`,
    );
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
}

export function githubApiUrlFrom(env: NodeJS.ProcessEnv): string {
  if (!env.GHE_HOST) return "https://api.github.com";
  const protocol = env.GHE_PROTOCOL || "https";
  return `${protocol}://${env.GHE_HOST}/api/v3`;
}

function intFrom(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  }
  return value;
}

function positiveIntFrom(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const value = intFrom(env, name, fallback);
  if (value === 0) throw new Error(`${name} must be a positive integer, got "0"`);
  return value;
}
