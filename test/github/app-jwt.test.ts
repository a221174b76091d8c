import { createPrivateKey, generateKeyPairSync, verify, webcrypto } from "node:crypto";
import nock from "nock";
import { Probot } from "probot";
import { afterEach, describe, expect, it, vi } from "vitest";
import { appJwtSigner } from "../../src/github/app-jwt.js";
import { repolOctokit } from "../../src/github/octokit-options.js";
import { TestOctokit, testAppPrivateKey } from "../helpers/test-probot.js";

const claims = (jwt: string) => JSON.parse(Buffer.from(jwt.split(".")[1]!, "base64url").toString()) as { iat: number; exp: number; iss: number };

function countedParse() {
  const parsed: string[] = [];
  return { parsed, parseKey: (pem: string) => (parsed.push(pem), createPrivateKey(pem)) };
}

afterEach(() => {
  nock.cleanAll();
  vi.restoreAllMocks();
});

describe("appJwtSigner", () => {
  it("parses the key once and hands out the same JWT while it has more than two minutes left", async () => {
    let now = Date.UTC(2026, 4, 1, 12, 0, 0);
    const { parsed, parseKey } = countedParse();
    const signer = appJwtSigner(testAppPrivateKey(), { now: () => now, parseKey });

    const first = await signer(1);
    now += 7 * 60_000;
    const reused = await signer(1);
    now += 60_000;
    const renewed = await signer(1);

    expect(reused.jwt).toBe(first.jwt);
    expect(renewed.jwt).not.toBe(first.jwt);
    expect(parsed).toHaveLength(1);
    expect(claims(first.jwt)).toEqual({ iat: Date.UTC(2026, 4, 1, 12, 0, 0) / 1000 - 30, exp: Date.UTC(2026, 4, 1, 12, 0, 0) / 1000 + 570, iss: 1 });
  });

  it("signs a JWT GitHub can verify with the App's public key (RS256), from a PKCS#1 key with escaped line breaks too", async () => {
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const pkcs1 = privateKey.export({ type: "pkcs1", format: "pem" }).toString().replace(/\n/g, "\\n");
    const { jwt } = await appJwtSigner(pkcs1)(42);
    const [header, payload, signature] = jwt.split(".");
    expect(JSON.parse(Buffer.from(header!, "base64url").toString())).toEqual({ alg: "RS256", typ: "JWT" });
    expect(verify("RSA-SHA256", Buffer.from(`${header}.${payload}`), publicKey, Buffer.from(signature!, "base64url"))).toBe(true);
  });
});

describe("repol's Octokit", () => {
  it("requests installation tokens for different installations with one JWT, importing no key per token", async () => {
    // Octokit's own signer imports the PEM key through WebCrypto for every JWT it signs.
    const imports = vi.spyOn(webcrypto.subtle, "importKey");
    const authorizations: string[] = [];
    nock("https://api.github.com")
      .persist()
      .post(/^\/app\/installations\/\d+\/access_tokens$/)
      .reply(function () {
        authorizations.push(String(this.req.headers.authorization));
        return [201, { token: "ghs_x", expires_at: "2099-01-01T00:00:00Z" }];
      });
    const probot = new Probot({
      appId: 1,
      privateKey: testAppPrivateKey(),
      secret: "s",
      logLevel: "fatal",
      Octokit: repolOctokit({ timeoutMs: 5_000, retries: 0 }, TestOctokit),
    });

    for (const installationId of [11, 12, 13]) await (await probot.auth(installationId)).auth({ type: "installation" });

    expect(authorizations).toHaveLength(3);
    expect(new Set(authorizations).size).toBe(1);
    expect(authorizations[0]).toMatch(/^bearer eyJ/);
    expect(imports).not.toHaveBeenCalled();
  });
});
