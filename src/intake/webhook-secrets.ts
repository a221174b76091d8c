// Which secrets a webhook signature may be made with, and the start-up check that one is set.
import { verify } from "@octokit/webhooks-methods";

/** Probot's fallback when no secret is configured: public, so anyone could sign webhooks with it. */
export const PROBOT_DEVELOPMENT_SECRET = "development";

export type SignatureCheck = (body: string, signature: string) => Promise<boolean>;

/**
 * Accepts a signature made with the current secret or, while it is being rotated, the previous one
 * (both compared in constant time by @octokit/webhooks-methods).
 */
export function signatureCheck(current: SignatureCheck, previousSecret: string | null): SignatureCheck {
  return async (body, signature) => {
    if (body === "" || !/^sha256=[0-9a-f]{64}$/.test(signature)) return false;
    if (await current(body, signature)) return true;
    return previousSecret !== null && previousSecret !== "" && (await verify(previousSecret, body, signature));
  };
}

/** Refuses to run in production on Probot's well-known development secret. */
export function requireWebhookSecret(env: NodeJS.ProcessEnv): void {
  if (env.NODE_ENV !== "production") return;
  const secret = env.WEBHOOK_SECRET ?? "";
  if (secret === "" || secret === PROBOT_DEVELOPMENT_SECRET) {
    throw new Error(
      `WEBHOOK_SECRET is ${secret === "" ? "not set" : `Probot's public default "${PROBOT_DEVELOPMENT_SECRET}"`}; with NODE_ENV=production ` +
        "repol refuses to start, since anyone could then sign webhooks. Set WEBHOOK_SECRET to the GitHub App's webhook secret " +
        "(and WEBHOOK_SECRET_PREVIOUS to the old one while rotating it).",
    );
  }
}
