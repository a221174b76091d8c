// The start-up refusals, as functions and as an operator meets them: `src/main.ts` run as a process.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkPrivateKey, checkWebhookSecret, isLoopbackHost } from "../src/startup-checks.js";
import { fakeGitHub, type FakeGitHub } from "./helpers/fake-github.js";
import { ensurePolicyBundle } from "./helpers/gate-deps.js";
import { repolEnv, startRepolProcess } from "./helpers/repol-process.js";
import { testAppPrivateKey } from "./helpers/test-probot.js";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "repol-startup-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("isLoopbackHost", () => {
  it.each([
    ["127.0.0.1", true],
    ["127.1.2.3", true],
    ["::1", true],
    ["[::1]", true],
    ["localhost", true],
    ["::ffff:127.0.0.1", true],
    ["0.0.0.0", false],
    ["::", false],
    ["", false],
    ["10.0.0.5", false],
    ["repol.internal", false],
  ])("%j → %s", (host, expected) => {
    expect(isLoopbackHost(host)).toBe(expected);
  });
});

describe("checkWebhookSecret", () => {
  it("passes silently with a real secret, whatever the address", () => {
    expect(checkWebhookSecret({ WEBHOOK_SECRET: "s3cr3t-from-github" }, "0.0.0.0")).toBeNull();
  });

  it.each([{}, { WEBHOOK_SECRET: "" }, { WEBHOOK_SECRET: "development" }])("refuses %j on 0.0.0.0, saying how to fix it", (env) => {
    expect(() => checkWebhookSecret(env, "0.0.0.0")).toThrow(/HOST=0\.0\.0\.0 lets other machines reach repol.*set WEBHOOK_SECRET .* or HOST=127\.0\.0\.1/);
  });

  it("allows a missing secret on a loopback address, with a warning that says so", () => {
    expect(checkWebhookSecret({}, "127.0.0.1")).toMatch(/^WEBHOOK_SECRET is not set: .*public default secret .* only because repol listens on 127\.0\.0\.1/);
  });
});

describe("checkPrivateKey", () => {
  it("names the missing file PRIVATE_KEY_PATH points at", () => {
    expect(() => checkPrivateKey({ PRIVATE_KEY_PATH: "./keys/repol.pem" }, dir)).toThrow(
      `PRIVATE_KEY_PATH is "./keys/repol.pem", but the file ${join(dir, "keys", "repol.pem")} does not exist`,
    );
  });

  it("refuses a file that holds no private key", () => {
    writeFileSync(join(dir, "notes.txt"), "not a key");
    expect(() => checkPrivateKey({ PRIVATE_KEY_PATH: "notes.txt" }, dir)).toThrow(/holds no PEM private key/);
  });

  it("refuses a PRIVATE_KEY that is not a PEM key", () => {
    expect(() => checkPrivateKey({ PRIVATE_KEY: "paste-me" }, dir)).toThrow(/PRIVATE_KEY does not hold a PEM private key/);
  });

  it.each([
    ["a PEM key", { PRIVATE_KEY: testAppPrivateKey() }],
    ["a PEM key with \\n escapes", { PRIVATE_KEY: testAppPrivateKey().replace(/\n/g, "\\n") }],
    ["a base64-encoded PEM key", { PRIVATE_KEY: Buffer.from(testAppPrivateKey()).toString("base64") }],
    ["no key at all (setup mode decides)", {}],
  ])("accepts %s", (_label, env) => {
    expect(() => checkPrivateKey(env, dir)).not.toThrow();
  });

  it("accepts a readable key file", () => {
    writeFileSync(join(dir, "app.pem"), testAppPrivateKey());
    expect(() => checkPrivateKey({ PRIVATE_KEY_PATH: "app.pem" }, dir)).not.toThrow();
  });
});

describe("repol's process", () => {
  let github: FakeGitHub;
  beforeAll(async () => {
    github = await fakeGitHub();
  });
  afterAll(() => github.close());

  const env = (extra: Record<string, string>) => ({ ...repolEnv(github.host, join(dir, "audit.db"), ensurePolicyBundle(), { APP_ID: "1" }), ...extra });

  it("refuses to start on 0.0.0.0 without WEBHOOK_SECRET, in one line", async () => {
    const running = startRepolProcess(env({ PRIVATE_KEY: testAppPrivateKey(), HOST: "0.0.0.0" }));
    expect(await running.exited).toBe(1);
    const refusal = running
      .output()
      .split("\n")
      .filter((line) => line.includes("repol failed to start"));
    expect(refusal).toEqual([expect.stringMatching(/^repol failed to start: WEBHOOK_SECRET is not set, and HOST=0\.0\.0\.0 lets other machines reach repol/)]);
    expect(running.output()).not.toContain("listening");
  });

  it("says which key file is missing instead of 'privateKey option is required'", async () => {
    const running = startRepolProcess(env({ PRIVATE_KEY_PATH: join(dir, "gone.pem"), WEBHOOK_SECRET: "a-real-secret-value" }));
    expect(await running.exited).toBe(1);
    expect(running.output()).toContain(
      `repol failed to start: PRIVATE_KEY_PATH is "${join(dir, "gone.pem")}", but the file ${join(dir, "gone.pem")} does not exist`,
    );
    expect(running.output()).not.toContain("privateKey option is required");
  });

  it("starts on 127.0.0.1 without a secret, warns about it, and says where webhooks go and that the audit API is off", async () => {
    const running = startRepolProcess(env({ PRIVATE_KEY: testAppPrivateKey() }));
    try {
      const url = await running.listening();
      const line = await running.waitFor(/"msg":"(repol listening on [^"]*)"/);
      expect(line[1]).toBe(
        `repol listening on ${url}; GitHub must send webhooks to ${url}/api/github/webhooks (the App's Webhook URL); ` +
          "audit API off (set AUDIT_API_TOKEN to enable /audit and /evaluate)",
      );
      expect(running.output()).toMatch(/"level":40,.*"msg":"WEBHOOK_SECRET is not set: deliveries signed with Probot's public default secret are accepted/);
      running.child.kill("SIGTERM");
      expect(await running.exited).toBe(0);
    } finally {
      running.child.kill("SIGKILL");
    }
  });
});
