// Keeps secrets out of repol's logs. Two layers, because neither alone is enough: pino's `redact`
// censors header fields wherever repol or a library logs a request, and every finished log line is
// scrubbed of the configured secret values and of anything shaped like a credential (GitHub tokens of
// any length, JWTs, PEM keys, passwords in URLs), since a secret can also reach a log inside an error
// message or a response body that no field path can name.
import { readFileSync } from "node:fs";
import { getTransformStream } from "@probot/pino";
import { pino, type DestinationStream, type Level, type Logger } from "pino";

export const REDACTED = "[REDACTED]";

/** Configured values shorter than this are left to the patterns: they would match ordinary words. */
export const MIN_SECRET_LENGTH = 8;

/** Header fields censored wherever they are logged (request/response objects of Octokit, express, undici). */
export const REDACT_PATHS = [
  "authorization",
  "cookie",
  "token",
  "headers.authorization",
  "headers.cookie",
  "headers['set-cookie']",
  "headers['x-hub-signature-256']",
  "headers['x-hub-signature']",
  "*.authorization",
  "*.token",
  "*.headers.authorization",
  "*.headers.cookie",
  "*.headers['x-hub-signature-256']",
  "*.headers['x-hub-signature']",
  "*.*.headers.authorization",
  "*.*.headers['x-hub-signature-256']",
];

const CREDENTIAL_PATTERNS: [RegExp, string][] = [
  // A whole PEM private key, or what is left of one cut off mid-way.
  [/-----BEGIN[A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END[A-Z ]*PRIVATE KEY-----|$)/g, `${REDACTED} private key`],
  // GitHub tokens: installation tokens are becoming variable-length, so no length is assumed.
  [/\b(?:gh[pousr]_|github_pat_)[A-Za-z0-9_\-.~+/=]+/g, REDACTED],
  // JSON Web Tokens (the App's own JWT among them).
  [/\beyJ[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*/g, REDACTED],
  // A credential after an authorization scheme; short words ("the bearer token is...") stay readable.
  [/\b(token|bearer|basic)(\s+)(?!\[REDACTED)[A-Za-z0-9._~+/=-]{16,}/gi, `$1$2${REDACTED}`],
  // user:password@ in any URL (DATABASE_URL above all).
  [/\b([a-z][a-z0-9+.-]*:\/\/[^\s:@/"]+:)[^\s@/"]+@/gi, `$1${REDACTED}@`],
  [/([?&](?:access_token|client_secret|token|code|password)=)[^&\s"]+/gi, `$1${REDACTED}`],
  // Webhook signatures are an HMAC of the secret; no reason to keep one.
  [/\bsha(1|256)=[0-9a-f]{40,64}\b/gi, `sha$1=${REDACTED}`],
];

/** Every secret value repol and Probot read from the environment. */
export function secretsFromEnv(env: NodeJS.ProcessEnv = process.env): string[] {
  const values = [env.WEBHOOK_SECRET, env.GITHUB_TOKEN, env.GITHUB_CLIENT_SECRET, env.AUDIT_API_TOKEN, env.WEBHOOK_PROXY_URL, env.SENTRY_DSN];
  values.push(...privateKeyParts(env.PRIVATE_KEY));
  if (env.PRIVATE_KEY_PATH) {
    try {
      values.push(...privateKeyParts(readFileSync(env.PRIVATE_KEY_PATH, "utf8")));
    } catch {
      // Probot reports an unreadable key itself; the PEM pattern still covers a logged key.
    }
  }
  values.push(passwordOf(env.DATABASE_URL));
  return [...new Set(values.filter((value): value is string => typeof value === "string" && value.length >= MIN_SECRET_LENGTH))];
}

/** The line with every known secret and every credential-shaped string replaced by [REDACTED]. */
export function redactSecrets(line: string, secrets: readonly string[] = []): string {
  let text = line;
  // Longest first, so a secret that contains another is removed whole. Each value is also looked for
  // as it appears inside a JSON string (quotes, backslashes and newlines escaped).
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    for (const form of new Set([secret, JSON.stringify(secret).slice(1, -1)])) {
      if (form.length >= MIN_SECRET_LENGTH) text = text.split(form).join(REDACTED);
    }
  }
  for (const [pattern, replacement] of CREDENTIAL_PATTERNS) text = text.replace(pattern, replacement);
  return text;
}

/** A pino destination that scrubs each finished line before handing it on. */
export function redactingDestination(destination: DestinationStream, secrets: readonly string[]): DestinationStream {
  return { write: (line: string) => destination.write(redactSecrets(line, secrets)) };
}

export interface RepolLoggerOptions {
  env?: NodeJS.ProcessEnv;
  /** Where scrubbed JSON lines go; by default Probot's own formatting (LOG_FORMAT, LOG_LEVEL_IN_STRING, SENTRY_DSN) to stdout. */
  destination?: DestinationStream;
  level?: Level;
}

/**
 * The logger to hand Probot (`createProbot({ overrides: { log } })`), configured from the same
 * variables Probot reads for its own logger, so nothing changes for operators but the redaction.
 */
export async function createRepolLogger({ env = process.env, destination, level }: RepolLoggerOptions = {}): Promise<Logger> {
  const output = destination ?? (await probotFormatting(env));
  return pino(
    {
      level: level ?? (env.LOG_LEVEL as Level | undefined) ?? "info",
      name: "probot",
      messageKey: env.LOG_MESSAGE_KEY || "msg",
      redact: { paths: REDACT_PATHS, censor: REDACTED },
    },
    redactingDestination(output, secretsFromEnv(env)),
  );
}

async function probotFormatting(env: NodeJS.ProcessEnv): Promise<DestinationStream> {
  const transform = await getTransformStream({
    logFormat: env.LOG_FORMAT === "json" ? "json" : "pretty",
    logLevelInString: env.LOG_LEVEL_IN_STRING === "true",
    sentryDsn: env.SENTRY_DSN || undefined,
  });
  transform.pipe(process.stdout);
  return transform;
}

function privateKeyParts(key: string | undefined): string[] {
  if (!key) return [];
  // Probot accepts the key with "\n" written literally (one-line environment variables).
  const pem = key.replace(/\\n/g, "\n");
  const lines = pem
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length >= 16 && !line.startsWith("-----"));
  return [key, pem, ...lines];
}

function passwordOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return decodeURIComponent(new URL(url).password) || undefined;
  } catch {
    return undefined;
  }
}
