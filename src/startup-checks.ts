// Settings that would make repol unsafe, or fail later with a message that names the wrong thing, are
// refused before it serves anything: each check throws one line that says what to change.
import { readFileSync } from "node:fs";
import { isIPv4 } from "node:net";
import { resolve } from "node:path";
import { PROBOT_DEVELOPMENT_SECRET } from "./intake/webhook-secrets.js";

/** True for an address only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, "$1").toLowerCase();
  if (bare === "localhost" || bare === "::1") return true;
  const v4 = bare.replace(/^::ffff:/, "");
  return isIPv4(v4) && v4.startsWith("127.");
}

/**
 * Without WEBHOOK_SECRET Probot verifies deliveries with its public default secret, so anyone who can
 * reach the port could sign a webhook and, say, have a pull request's check marked passed. That is only
 * tolerable while nobody else can reach the port. Throws when they can; otherwise returns the warning to
 * log at start (null when a real secret is set).
 */
export function checkWebhookSecret(env: NodeJS.ProcessEnv, host: string): string | null {
  const secret = env.WEBHOOK_SECRET ?? "";
  if (secret !== "" && secret !== PROBOT_DEVELOPMENT_SECRET) return null;
  const what = secret === "" ? "WEBHOOK_SECRET is not set" : `WEBHOOK_SECRET is Probot's public default "${PROBOT_DEVELOPMENT_SECRET}"`;
  if (!isLoopbackHost(host)) {
    throw new Error(
      `${what}, and HOST=${host || "(empty)"} lets other machines reach repol, so anyone could sign webhooks: ` +
        "set WEBHOOK_SECRET to the GitHub App's webhook secret, or HOST=127.0.0.1 to try repol on this machine only",
    );
  }
  return `${what}: deliveries signed with Probot's public default secret are accepted, tolerated only because repol listens on ${host} (this machine only)`;
}

/**
 * Probot swallows an unreadable private key and later says only "privateKey option is required".
 * Names the variable and the file instead. PRIVATE_KEY wins over PRIVATE_KEY_PATH, as in Probot.
 */
export function checkPrivateKey(env: NodeJS.ProcessEnv, cwd: string): void {
  if (env.PRIVATE_KEY?.trim()) {
    if (!looksLikePrivateKey(env.PRIVATE_KEY)) {
      throw new Error(
        "PRIVATE_KEY does not hold a PEM private key (-----BEGIN ... PRIVATE KEY-----): paste the whole .pem file, " +
          "with \\n for its line breaks, or set PRIVATE_KEY_PATH to the file instead",
      );
    }
    return;
  }
  const path = env.PRIVATE_KEY_PATH?.trim();
  if (!path) return;
  const file = resolve(cwd, path);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const problem = code === "ENOENT" ? "does not exist" : `cannot be read (${code ?? (error as Error).message})`;
    throw new Error(`PRIVATE_KEY_PATH is "${path}", but the file ${file} ${problem}: point it at the .pem file downloaded from the App's settings`);
  }
  if (!looksLikePrivateKey(text)) {
    throw new Error(`PRIVATE_KEY_PATH is "${path}", but ${file} holds no PEM private key (-----BEGIN ... PRIVATE KEY-----)`);
  }
}

/** True when `value` is a PEM private key, as is or base64-encoded as a whole (Probot accepts both). */
export function looksLikePrivateKey(value: string): boolean {
  const pem = /-----BEGIN [A-Z ]*PRIVATE KEY-----/;
  if (pem.test(value)) return true;
  return pem.test(Buffer.from(value.trim(), "base64").toString("utf8"));
}
