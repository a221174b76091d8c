// The one Probot of the tests: one generated App key, one webhook secret, retries and throttling off
// (so a faked 500 is answered once, immediately), and optionally a GitHub API base URL other than
// api.github.com. Webhooks are signed here too, the way GitHub signs them, so there is one signer.
import { createHmac, generateKeyPairSync, randomUUID } from "node:crypto";
import { createProbot, Probot, ProbotOctokit } from "probot";

export const TEST_APP_ID = 1;
export const TEST_WEBHOOK_SECRET = "repol-test-webhook-secret";

let privateKey: string | undefined;

/** One RSA key per test file: generating it takes tens of milliseconds. */
export function testAppPrivateKey(): string {
  privateKey ??= generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  return privateKey;
}

/** Octokit with retry and throttling disabled, in the function form Probot requires to keep its own defaults. */
export const TestOctokit = ProbotOctokit.defaults((options: Record<string, unknown>) => ({
  ...options,
  retry: { enabled: false },
  throttle: { ...(options.throttle as object), enabled: false },
}));

export function testProbot({ baseUrl, secret = TEST_WEBHOOK_SECRET }: { baseUrl?: string; secret?: string } = {}): Probot {
  return new Probot({
    appId: TEST_APP_ID,
    privateKey: testAppPrivateKey(),
    secret,
    baseUrl,
    logLevel: (process.env.TEST_LOG_LEVEL as "info" | undefined) ?? "fatal",
    Octokit: TestOctokit,
  });
}

type ProbotOverrides = NonNullable<Parameters<typeof createProbot>[0]>["overrides"];

/** Probot as main.ts builds it (createProbot, from the environment), for a GitHub Enterprise Server API at `host` over http. */
export function probotOnHost(host: string, overrides: ProbotOverrides): Probot {
  return createProbot({
    env: {
      APP_ID: String(TEST_APP_ID),
      PRIVATE_KEY: testAppPrivateKey(),
      WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
      GHE_HOST: host,
      GHE_PROTOCOL: "http",
      LOG_LEVEL: "fatal",
    },
    overrides,
  });
}

export interface SignedDelivery {
  id: string;
  headers: Record<string, string>;
  body: string;
}

/** The request GitHub would send: JSON body and the X-Hub-Signature-256 HMAC of exactly those bytes. */
export function signedDelivery(secret: string, event: string, payload: unknown, id: string = randomUUID()): SignedDelivery {
  const body = typeof payload === "string" ? payload : JSON.stringify(payload);
  return { id, body, headers: webhookHeaders(event, body, { id, secret }) };
}

/** GitHub's delivery headers for exactly these bytes (which may be no valid JSON or UTF-8 at all). */
export function webhookHeaders(
  event: string,
  body: string | Uint8Array,
  { id = randomUUID() as string, secret = TEST_WEBHOOK_SECRET }: { id?: string; secret?: string } = {},
): Record<string, string> {
  return {
    "content-type": "application/json",
    "user-agent": "GitHub-Hookshot/test",
    "x-github-event": event,
    "x-github-delivery": id,
    "x-hub-signature-256": `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`,
  };
}
