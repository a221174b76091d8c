import { existsSync, readFileSync } from "node:fs";
import { join, posix, resolve } from "node:path";
import { parseDocument } from "yaml";
import { describe, expect, it } from "vitest";
import { WEBHOOK_PATH } from "../../src/server.js";
import { repoRoot } from "../helpers/policy-bundle.js";
import { argsOf, readDockerfile, variablesOf } from "./read-dockerfile.js";

const infraDir = join(repoRoot, "infra");
const document = parseDocument(readFileSync(join(infraDir, "compose.yml"), "utf8"));
const compose = document.toJS() as { services: Record<string, any>; volumes: Record<string, unknown> };
const runtime = readDockerfile(join(repoRoot, "Dockerfile")).at(-1)!;
const { app, postgres, smee } = compose.services;

describe("infra/compose.yml", () => {
  it("is valid YAML with the app, PostgreSQL and the optional smee relay", () => {
    expect(document.errors).toEqual([]);
    expect(Object.keys(compose.services).sort()).toEqual(["app", "postgres", "smee"]);
    expect(smee.profiles).toEqual(["smee"]);
  });

  it("builds the app from the repository's Dockerfile and the relay from smee/", () => {
    expect(existsSync(resolve(infraDir, app.build.context, app.build.dockerfile))).toBe(true);
    expect(resolve(infraDir, app.build.context)).toBe(resolve(repoRoot));
    expect(existsSync(resolve(infraDir, smee.build.context, "Dockerfile"))).toBe(true);
  });

  it("points the app at the PostgreSQL service with that service's credentials", () => {
    const url = new URL(app.environment.DATABASE_URL);
    expect(url.protocol).toBe("postgres:");
    expect(url.hostname).toBe("postgres");
    expect(url.username).toBe(postgres.environment.POSTGRES_USER);
    expect(url.password).toBe(postgres.environment.POSTGRES_PASSWORD);
    expect(url.pathname).toBe(`/${postgres.environment.POSTGRES_DB}`);
  });

  it("starts the app only once PostgreSQL passes its health check", () => {
    expect(postgres.healthcheck.test.join(" ")).toContain("pg_isready");
    expect(app.depends_on.postgres.condition).toBe("service_healthy");
  });

  it("publishes the port the image listens on, to this machine only", () => {
    const port = variablesOf(runtime, "ENV").PORT;
    expect(app.ports).toEqual([`127.0.0.1:\${PORT:-3000}:${port}`]);
  });

  it("mounts a named volume where the image keeps its SQLite file", () => {
    const dbDir = posix.dirname(variablesOf(runtime, "ENV").AUDIT_DB_PATH!);
    expect(argsOf(runtime, "VOLUME").join(" ")).toContain(dbDir);
    expect(app.volumes).toContain(`data:${dbDir}`);
    expect(compose.volumes).toHaveProperty("data");
  });

  it("relays smee to the app's webhook path, and keeps the app from relaying a second time", () => {
    expect(smee.environment.WEBHOOK_TARGET).toBe(`http://app:${variablesOf(runtime, "ENV").PORT}${WEBHOOK_PATH}`);
    expect(app.environment.WEBHOOK_PROXY_URL).toBe("");
    // The relay is given the channel only, none of the App's secrets.
    expect(smee.env_file).toBeUndefined();
    expect(Object.keys(smee.environment).sort()).toEqual(["WEBHOOK_PROXY_URL", "WEBHOOK_TARGET"]);
  });

  it("reads the App's credentials from .env, which is optional so `docker compose config` works on a fresh clone", () => {
    expect(app.env_file).toEqual([{ path: "../.env", required: false }]);
  });
});

describe("smee/Dockerfile", () => {
  const [relay] = readDockerfile(join(repoRoot, "smee", "Dockerfile"));
  const pkg = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8"));

  it("installs the smee-client version repol depends on and runs unprivileged", () => {
    const installed = /smee-client@(\S+)/.exec(argsOf(relay!, "RUN").join(" "))?.[1];
    expect(pkg.dependencies["smee-client"]).toMatch(new RegExp(`^\\^?${installed!.replace(/\./g, "\\.")}$`));
    expect(argsOf(relay!, "USER").at(-1)).toMatch(/^[1-9]\d*(:\d+)?$/);
  });

  it("defaults its target to the app service's webhook path", () => {
    expect(variablesOf(relay!, "ENV").WEBHOOK_TARGET).toBe(`http://app:3000${WEBHOOK_PATH}`);
  });
});
