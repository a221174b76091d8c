// The first-run path: no credentials → Probot's manifest flow on localhost, driven by app.yml, ending
// with credentials in .env. GitHub's side of the flow is faked with nock.
import { chmodSync, copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseEnv } from "node:util";
import nock from "nock";
import { parse } from "yaml";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runSetupMode, shouldRunSetup, type SetupServer } from "../src/setup-mode.js";
import { repoRoot } from "./helpers/policy-bundle.js";
import { testAppPrivateKey } from "./helpers/test-probot.js";

describe("shouldRunSetup", () => {
  it.each([
    [{}, true],
    [{ APP_ID: "12" }, true],
    [{ PRIVATE_KEY: "-----BEGIN RSA PRIVATE KEY-----" }, true],
    [{ APP_ID: "  ", PRIVATE_KEY: "key" }, true],
    [{ APP_ID: "12", PRIVATE_KEY: "" }, true],
    [{ APP_ID: "12", PRIVATE_KEY: "key" }, false],
    [{ APP_ID: "12", PRIVATE_KEY_PATH: "./repol.pem" }, false],
  ])("with %j answers %s", (env, expected) => {
    expect(shouldRunSetup(env)).toBe(expected);
  });
});

describe("runSetupMode", () => {
  const savedEnv = { ...process.env };
  const savedCwd = process.cwd();
  let workdir: string;
  let setup: SetupServer | undefined;

  async function freePort(): Promise<number> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    return port;
  }

  beforeEach(async () => {
    // Probot reads app.yml and package.json from, and writes .env to, the working directory.
    workdir = mkdtempSync(join(tmpdir(), "repol-setup-"));
    for (const file of ["app.yml", "package.json"]) copyFileSync(join(repoRoot, file), join(workdir, file));
    process.chdir(workdir);
    for (const name of ["APP_ID", "PRIVATE_KEY", "PRIVATE_KEY_PATH", "WEBHOOK_SECRET", "GHE_HOST", "GH_ORG", "NODE_ENV", "HOST", "NO_SMEE_SETUP"])
      delete process.env[name];
    process.env.PORT = String(await freePort());
    process.env.HOST = "127.0.0.1";
    process.env.LOG_LEVEL = "silent";
    // With a channel configured, Probot does not ask smee.io for a new one; setup mode must not connect to it either.
    process.env.WEBHOOK_PROXY_URL = "https://smee.io/repol-test-channel";
    nock.disableNetConnect();
    nock.enableNetConnect("127.0.0.1");
  });

  afterEach(async () => {
    await setup?.stop();
    setup = undefined;
    process.chdir(savedCwd);
    rmSync(workdir, { recursive: true, force: true });
    for (const name of Object.keys(process.env)) if (!(name in savedEnv)) delete process.env[name];
    Object.assign(process.env, savedEnv);
    nock.cleanAll();
    nock.enableNetConnect();
  });

  it("serves the registration page, which posts app.yml's permissions and events as the manifest", async () => {
    setup = await runSetupMode();
    expect(setup.url).toBe(`http://127.0.0.1:${process.env.PORT}`);

    const root = await fetch(`${setup.url}/`, { redirect: "manual" });
    expect(root.status).toBe(302);
    expect(root.headers.get("location")).toBe("/probot");

    const page = await fetch(`${setup.url}/probot`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('action="https://github.com/settings/apps/new"');
    // The manifest travels in a single-quoted HTML attribute: it must survive that unescaped.
    const manifest = JSON.parse(/value='([^']*)'/.exec(html)![1]!);
    const appYml = parse(readFileSync(join(repoRoot, "app.yml"), "utf8"));
    expect(manifest.default_permissions).toEqual(appYml.default_permissions);
    expect(manifest.default_events).toEqual(appYml.default_events);
    expect(manifest.name).toBe("repol");
    expect(manifest.public).toBe(false);
    expect(manifest.hook_attributes).toEqual({ url: "https://smee.io/repol-test-channel" });
    expect(manifest.redirect_url).toBe(`${setup.url}/probot/setup`);
  });

  it("registers the App from GitHub's code and writes its credentials to .env", async () => {
    const pem = testAppPrivateKey();
    const conversion = nock("https://api.github.com").post("/app-manifests/the-code/conversions").reply(201, {
      id: 424242,
      slug: "repol",
      html_url: "https://github.com/apps/repol",
      client_id: "Iv1.abc",
      client_secret: "client-secret",
      webhook_secret: "hook-secret",
      pem,
    });
    setup = await runSetupMode();

    const done = await fetch(`${setup.url}/probot/setup?code=the-code`, { redirect: "manual" });
    expect(done.status).toBe(302);
    expect(done.headers.get("location")).toBe("https://github.com/apps/repol/installations/new");
    expect(conversion.isDone()).toBe(true);

    const written = parseEnv(readFileSync(join(workdir, ".env"), "utf8"));
    expect(written).toMatchObject({ APP_ID: "424242", WEBHOOK_SECRET: "hook-secret" });
    expect(written.PRIVATE_KEY!.replace(/\\n/g, "\n")).toBe(pem);
    // The next `npm start` finds credentials and serves webhooks instead.
    expect(shouldRunSetup(written)).toBe(false);
  });

  it("writes .env readable by its owner only, also when it existed with wider permissions, keeping its other lines", async () => {
    writeFileSync(join(workdir, ".env"), "# my notes\nLOG_LEVEL=debug\n");
    chmodSync(join(workdir, ".env"), 0o644);
    nock("https://api.github.com")
      .post("/app-manifests/the-code/conversions")
      .reply(201, { id: 7, html_url: "https://github.com/apps/repol", webhook_secret: "hook-secret", pem: testAppPrivateKey() });
    setup = await runSetupMode();

    expect((await fetch(`${setup.url}/probot/setup?code=the-code`, { redirect: "manual" })).status).toBe(302);

    expect(statSync(join(workdir, ".env")).mode & 0o777).toBe(0o600);
    const text = readFileSync(join(workdir, ".env"), "utf8");
    expect(text.startsWith("# my notes\nLOG_LEVEL=debug\n")).toBe(true);
    expect(parseEnv(text)).toMatchObject({ LOG_LEVEL: "debug", APP_ID: "7", WEBHOOK_SECRET: "hook-secret", PRIVATE_KEY: testAppPrivateKey() });
  });

  it("without a smee channel, registers repol's webhook route and says GitHub cannot reach it and what to do", async () => {
    delete process.env.WEBHOOK_PROXY_URL;
    process.env.NO_SMEE_SETUP = "true";
    setup = await runSetupMode();
    const webhookUrl = `${setup.url}/api/github/webhooks`;
    expect(setup.webhook).toEqual({ url: webhookUrl, relayed: false });

    const html = await (await fetch(`${setup.url}/probot`)).text();
    const manifest = JSON.parse(/value='([^']*)'/.exec(html)![1]!);
    expect(manifest.hook_attributes).toEqual({ url: webhookUrl });
    expect(html).toContain("GitHub cannot reach");
    expect(html).toContain("https://smee.io/new");
    expect(html).toContain("<code>WEBHOOK_PROXY_URL</code>");

    const importHtml = await (await fetch(`${setup.url}/probot/import`)).text();
    expect(importHtml).toContain(`set its Webhook URL to <code>${webhookUrl}</code>`);
    expect(importHtml).toContain("GitHub cannot reach");
    expect(existsSync(join(workdir, ".env"))).toBe(false);
  });

  it("imports an App registered before, writing its credentials to .env readable by its owner only", async () => {
    setup = await runSetupMode();
    const importHtml = await (await fetch(`${setup.url}/probot/import`)).text();
    expect(importHtml).toContain("set its Webhook URL to <code>https://smee.io/repol-test-channel</code>");
    const form = (fields: Record<string, string>, origin = setup!.url) =>
      fetch(`${setup!.url}/probot/import`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", origin },
        body: new URLSearchParams(fields),
      });

    const badKey = await form({ appId: "12", webhook_secret: "s", pem: "not a key" });
    expect(badKey.status).toBe(400);
    expect(await badKey.text()).toContain("The private key must be the whole .pem file");
    expect((await form({ appId: "12", webhook_secret: "s", pem: testAppPrivateKey() }, "https://evil.example")).status).toBe(403);
    expect(existsSync(join(workdir, ".env"))).toBe(false);

    const saved = await form({ appId: "12", webhook_secret: "hook-secret", pem: testAppPrivateKey() });
    expect(saved.status).toBe(200);
    expect(statSync(join(workdir, ".env")).mode & 0o777).toBe(0o600);
    expect(parseEnv(readFileSync(join(workdir, ".env"), "utf8"))).toEqual({
      APP_ID: "12",
      WEBHOOK_SECRET: "hook-secret",
      PRIVATE_KEY: testAppPrivateKey().trim(),
    });
  });

  it("answers 502 and writes nothing when GitHub refuses the registration code", async () => {
    nock("https://api.github.com").post("/app-manifests/stale/conversions").reply(404, { message: "Not Found" });
    setup = await runSetupMode();
    const answer = await fetch(`${setup.url}/probot/setup?code=stale`, { redirect: "manual" });
    expect(answer.status).toBe(502);
    expect(await answer.text()).toContain("A code works once, within an hour");
    expect(existsSync(join(workdir, ".env"))).toBe(false);
  });

  it("refuses to open the setup page in production", async () => {
    process.env.NODE_ENV = "production";
    await expect(runSetupMode()).rejects.toThrow(/APP_ID and PRIVATE_KEY .* must be set when NODE_ENV=production/);
  });

  it("refuses when .env already holds credentials the caller did not load", async () => {
    writeFileSync(join(workdir, ".env"), "APP_ID=7\nPRIVATE_KEY=key\n");
    await expect(runSetupMode()).rejects.toThrow(/credentials are present in \.env/);
  });
});
