// repol's own settings, read once from the environment. Probot reads its own
// (APP_ID, PRIVATE_KEY, WEBHOOK_SECRET, GHE_HOST, ...) itself.

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
}

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
  };
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
