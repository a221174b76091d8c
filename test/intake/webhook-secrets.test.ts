import { describe, expect, it } from "vitest";
import { webhookHeaders } from "../helpers/test-probot.js";
import { requireWebhookSecret, signatureCheck } from "../../src/intake/webhook-secrets.js";

const sign = (secret: string, body: string) => webhookHeaders("ping", body, { secret })["x-hub-signature-256"]!;

describe("requireWebhookSecret", () => {
  it.each([
    { env: { NODE_ENV: "production" }, refused: /WEBHOOK_SECRET is not set/ },
    { env: { NODE_ENV: "production", WEBHOOK_SECRET: "" }, refused: /WEBHOOK_SECRET is not set/ },
    { env: { NODE_ENV: "production", WEBHOOK_SECRET: "development" }, refused: /public default "development"/ },
    { env: { NODE_ENV: "production", WEBHOOK_SECRET: "s3cret-from-the-app-settings" }, refused: null },
    { env: { NODE_ENV: "development" }, refused: null },
    { env: {}, refused: null },
  ])("with $env refuses: $refused", ({ env, refused }) => {
    if (refused) expect(() => requireWebhookSecret(env)).toThrow(refused);
    else expect(() => requireWebhookSecret(env)).not.toThrow();
  });
});

describe("signatureCheck", () => {
  const current = "current-secret";
  const previous = "previous-secret";
  const body = JSON.stringify({ action: "opened" });
  const check = signatureCheck(async (payload, signature) => signature === sign(current, payload), previous);

  it.each([
    { name: "the current secret", signature: sign(current, body), ok: true },
    { name: "the previous secret", signature: sign(previous, body), ok: true },
    { name: "another secret", signature: sign("other", body), ok: false },
    { name: "the right secret over other bytes", signature: sign(current, `${body} `), ok: false },
    { name: "a truncated signature", signature: sign(current, body).slice(0, 40), ok: false },
    { name: "an upper-case hex signature", signature: sign(previous, body).toUpperCase().replace("SHA256", "sha256"), ok: false },
    { name: "an empty signature", signature: "", ok: false },
  ])("verifies a signature made with $name: $ok", async ({ signature, ok }) => {
    expect(await check(body, signature)).toBe(ok);
  });

  it("refuses an empty body instead of throwing", async () => {
    expect(await check("", sign(current, ""))).toBe(false);
  });

  it("checks only the current secret when no rotation is under way", async () => {
    const single = signatureCheck(async (payload, signature) => signature === sign(current, payload), null);
    expect(await single(body, sign(current, body))).toBe(true);
    expect(await single(body, sign(previous, body))).toBe(false);
  });
});
