// The first-run path: no credentials → Probot's manifest flow on localhost, driven by app.yml, ending
// with credentials in .env. GitHub's side of the flow is faked with nock.
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
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
import { testPrivateKey } from "./helpers/serve-repol.js";

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
    for (const name of ["APP_ID", "PRIVATE_KEY", "PRIVATE_KEY_PATH", "WEBHOOK_SECRET", "GHE_HOST", "GH_ORG", "NODE_ENV", "HOST"]) delete process.env[name];
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
    const pem = testPrivateKey();
    const conversion = nock("https://api.github.com")
      .post("/app-manifests/the-code/conversions")
      .reply(201, {
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

  it("refuses to open the setup page in production", async () => {
    process.env.NODE_ENV = "production";
    await expect(runSetupMode()).rejects.toThrow(/APP_ID and PRIVATE_KEY .* must be set when NODE_ENV=production/);
  });

  it("refuses when .env already holds credentials the caller did not load", async () => {
    writeFileSync(join(workdir, ".env"), "APP_ID=7\nPRIVATE_KEY=key\n");
    await expect(runSetupMode()).rejects.toThrow(/credentials are present in \.env/);
  });
});
