import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createRepolLogger, redactSecrets, REDACTED, secretsFromEnv } from "../src/log-redaction.js";

const pem = generateKeyPairSync("rsa", { modulusLength: 1024 }).privateKey.export({ type: "pkcs1", format: "pem" }).toString();
const keyLine = pem.split("\n")[5]!;

describe("redactSecrets", () => {
  const cases: [string, string, string[]][] = [
    ["an installation token of the classic length", "token ghs_16C7e42F292c6912E7710c838347Ae178B4a", ["ghs_16C7e42F292c6912E7710c838347Ae178B4a"]],
    ["a variable-length installation token", `GitHub said: bad credentials ghs_${"A1b2_".repeat(120)} (401)`, [`ghs_${"A1b2_".repeat(120)}`]],
    ["a fine-grained personal access token", "github_pat_11ABCDEFG0abcdefghijkl_mnopqrstuvwxyz0123456789ABCDEFGHIJ", ["github_pat_11ABCDEFG0"]],
    ["a user-to-server and a refresh token", "ghu_abcdefghijklmnopqrstuvwxyz012345 ghr_abcdefghijklmnopqrstuvwxyz012345", ["ghu_abcdef", "ghr_abcdef"]],
    ["the App's JWT", "authorization: bearer eyJhbGciOiJSUzI1NiJ9.eyJpYXQiOjE3MDAwMDAwMDAsImlzcyI6MX0.c2lnbmF0dXJl", ["eyJhbGciOiJSUzI1NiJ9", "c2lnbmF0dXJl"]],
    ["a bearer credential of unknown shape", "Authorization: Bearer 0123456789abcdefXYZ.-_~+/=", ["0123456789abcdefXYZ"]],
    ["a PEM private key, escaped inside JSON", JSON.stringify({ key: pem }), [keyLine, "BEGIN RSA PRIVATE KEY-----\\n"]],
    ["a private key cut off mid-way", `{"msg":"bad key ${pem.slice(0, 200).replace(/\n/g, "\\n")}`, [pem.split("\n")[1]!.slice(0, 20)]],
    ["a password in a database URL", "connect postgres://repol:s3cr3t-p4ss@db.internal:5432/repol failed", ["s3cr3t-p4ss"]],
    ["a token in a query string", "GET https://example.com/cb?access_token=abc123def&x=1", ["abc123def"]],
    ["a webhook signature", `x-hub-signature-256: sha256=${"ab".repeat(32)}`, ["ab".repeat(32)]],
  ];
  it.each(cases)("removes %s", (_label, line, leaked) => {
    const redacted = redactSecrets(line);
    for (const secret of leaked) expect(redacted).not.toContain(secret);
    expect(redacted).toContain(REDACTED);
  });

  it.each([
    ["the configured value itself", "webhook secret is hunter2-but-longer", ["hunter2-but-longer"], "hunter2-but-longer"],
    ["a value with quotes and backslashes, as JSON writes it", JSON.stringify({ msg: 'x "q\\uote"-secret y' }), ['"q\\uote"-secret'], "q\\\\uote"],
    ["the longer of two overlapping values whole", "abcdefghij-klmnop", ["abcdefghij", "abcdefghij-klmnop"], "klmnop"],
  ])("removes %s", (_label, line, secrets, leaked) => {
    expect(redactSecrets(line, secrets)).not.toContain(leaked);
  });

  it.each([
    "the bearer token is not valid",
    "reading .repol/deploy.yaml at refs/heads/main of acme/widgets",
    "GitHub answered 500 (Server Error) while reading reviews of acme/widgets#12",
    "sha 3f786850e387550fdab836ed7e6dc881de23001b",
  ])("leaves an ordinary message as it is: %s", (line) => {
    expect(redactSecrets(line, ["configured-secret"])).toBe(line);
  });
});

describe("secretsFromEnv", () => {
  it("collects the secrets Probot and repol are configured with, including each line of the private key", () => {
    const secrets = secretsFromEnv({
      WEBHOOK_SECRET: "webhook-secret-value",
      AUDIT_API_TOKEN: "audit-token-value",
      PRIVATE_KEY: pem.replace(/\n/g, "\\n"),
      DATABASE_URL: "postgres://repol:db%40password@localhost/repol",
      GITHUB_CLIENT_SECRET: "client-secret-value",
      WEBHOOK_PROXY_URL: "https://smee.io/AbCdEfGh12345",
      LOG_LEVEL: "debug",
    });
    expect(secrets).toEqual(
      expect.arrayContaining([
        "webhook-secret-value",
        "audit-token-value",
        "db@password",
        "client-secret-value",
        "https://smee.io/AbCdEfGh12345",
        keyLine,
        pem,
      ]),
    );
    expect(secrets).not.toContain("debug");
  });

  it("reads the private key from PRIVATE_KEY_PATH", () => {
    const dir = mkdtempSync(join(tmpdir(), "repol-key-"));
    try {
      writeFileSync(join(dir, "key.pem"), pem);
      expect(secretsFromEnv({ PRIVATE_KEY_PATH: join(dir, "key.pem") })).toContain(keyLine);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("leaves out values too short to find safely", () => {
    expect(secretsFromEnv({ WEBHOOK_SECRET: "dev" })).toEqual([]);
  });
});

describe("createRepolLogger", () => {
  async function capture(log: (logger: Awaited<ReturnType<typeof createRepolLogger>>) => void) {
    const lines: string[] = [];
    const logger = await createRepolLogger({
      env: { WEBHOOK_SECRET: "the-webhook-secret", LOG_LEVEL: "trace" },
      destination: { write: (line) => void lines.push(line) },
    });
    log(logger);
    return lines.join("");
  }

  it("censors header fields by path, whoever logs them", async () => {
    const out = await capture((logger) =>
      logger.error({ request: { headers: { authorization: "token short", "x-hub-signature-256": "sha256=00" } }, headers: { cookie: "session=1" } }, "failed"),
    );
    expect(out).not.toMatch(/token short|sha256=00|session=1/);
    expect(JSON.parse(out)).toMatchObject({ request: { headers: { authorization: REDACTED } }, msg: "failed" });
  });

  it("scrubs configured secrets and tokens out of messages and error text", async () => {
    const out = await capture((logger) => logger.warn({ err: new Error("rejected ghs_abcdefghijklmnopqrstuvwxyz0123456789") }, "secret is the-webhook-secret"));
    expect(out).not.toContain("the-webhook-secret");
    expect(out).not.toContain("ghs_abcdef");
    expect(JSON.parse(out).level).toBe(40);
  });

  it("honours LOG_LEVEL as Probot does", async () => {
    const lines: string[] = [];
    const logger = await createRepolLogger({ env: { LOG_LEVEL: "warn" }, destination: { write: (line) => void lines.push(line) } });
    logger.info("quiet");
    logger.warn("loud");
    expect(lines.map((line) => JSON.parse(line).msg)).toEqual(["loud"]);
  });
});
