// docker cannot build here, so the Dockerfile's promises are checked statically.
import { readFileSync } from "node:fs";
import { join, posix } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../helpers/policy-bundle.js";
import { argsOf, readDockerfile, variablesOf, type Stage } from "./read-dockerfile.js";

const stages = readDockerfile(join(repoRoot, "Dockerfile"));
const runtime = stages.at(-1)!;
const stageNamed = (name: string): Stage => {
  const stage = stages.find((candidate) => candidate.name === name);
  if (!stage) throw new Error(`Dockerfile has no stage named ${name}`);
  return stage;
};
const pinnedOpa = /export const OPA_VERSION = "([^"]+)"/.exec(readFileSync(join(repoRoot, "scripts", "ensure-opa.mjs"), "utf8"))?.[1];
const copiesFrom = (stage: Stage, from: string) => argsOf(stage, "COPY").filter((args) => args.includes(`--from=${from}`));

describe("Dockerfile", () => {
  it("is multi-stage: OPA, dependencies, policies, TypeScript build and a runtime", () => {
    expect(stages.map((stage) => stage.name)).toEqual(["opa", "deps", "policies", "build", "runtime"]);
    expect(stageNamed("opa").from).toBe("golang:1.26-bookworm");
    for (const name of ["deps", "runtime"]) expect(stageNamed(name).from).toBe("node:22-bookworm-slim");
    // Policies and TypeScript build on the installed dependencies (build-policies checks the bundle with opa-wasm).
    for (const name of ["policies", "build"]) expect(stageNamed(name).from).toBe("deps");
  });

  it("installs the same OPA version scripts/ensure-opa.mjs pins", () => {
    expect(pinnedOpa).toMatch(/^\d+\.\d+\.\d+$/);
    const opa = stageNamed("opa");
    expect(variablesOf(opa, "ARG").OPA_VERSION).toBe(pinnedOpa);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the Dockerfile expands ${OPA_VERSION} itself
    expect(argsOf(opa, "RUN").join("\n")).toContain("go install -buildvcs=false github.com/open-policy-agent/opa@v${OPA_VERSION}");
  });

  it("ships the pinned OPA in the runtime, on PATH, to compile repositories' custom rules", () => {
    expect(copiesFrom(runtime, "opa").join("\n")).toMatch(/\/out\/opa \/usr\/local\/bin\/opa/);
  });

  it("tests the policies with OPA before building the bundle the runtime ships", () => {
    const policies = stageNamed("policies");
    expect(copiesFrom(policies, "opa").join("\n")).toContain("/usr/local/bin/opa");
    const run = argsOf(policies, "RUN").join("\n");
    expect(run).toMatch(/opa test policies\/.*&& node scripts\/build-policies\.mjs/);
    expect(copiesFrom(runtime, "policies").join("\n")).toMatch(/build\/policies\/ \.\/build\/policies\//);
    expect(variablesOf(runtime, "ENV").POLICY_WASM_PATH).toBe("/app/build/policies/policy.wasm");
  });

  it("keeps the compiler toolchain out of the runtime image", () => {
    expect(argsOf(stageNamed("deps"), "RUN").join("\n")).toMatch(/apt-get install .*python3 make g\+\+/);
    expect(argsOf(stageNamed("deps"), "RUN").join("\n")).toContain("npm ci");
    expect(argsOf(runtime, "RUN").join("\n")).not.toMatch(/apt-get|npm (ci|install)/);
    expect(argsOf(stageNamed("build"), "RUN").join("\n")).toContain("npm prune --omit=dev");
  });

  it("runs as a non-root user", () => {
    const users = argsOf(runtime, "USER");
    expect(users.length).toBeGreaterThan(0);
    const user = users.at(-1)!.split(":")[0]!;
    expect(["root", "0"]).not.toContain(user);
    // Numeric, so Kubernetes' runAsNonRoot can verify it without a passwd lookup.
    expect(user).toMatch(/^[1-9]\d*$/);
  });

  it("has a HEALTHCHECK against /health on the port it listens on", () => {
    const [healthcheck] = argsOf(runtime, "HEALTHCHECK");
    expect(healthcheck).toMatch(/^--interval=\S+ .*CMD /);
    expect(healthcheck).toContain("/health");
    expect(healthcheck).toContain("process.env.PORT");
    const env = variablesOf(runtime, "ENV");
    expect(argsOf(runtime, "EXPOSE")).toEqual([env.PORT]);
    expect(env.HOST).toBe("0.0.0.0");
  });

  it("keeps the SQLite file on a volume the app user owns", () => {
    const dbDir = posix.dirname(variablesOf(runtime, "ENV").AUDIT_DB_PATH ?? "");
    const volumes = argsOf(runtime, "VOLUME").flatMap((args) => JSON.parse(args) as string[]);
    expect(volumes).toContain(dbDir);
    const uid = argsOf(runtime, "USER").at(-1)!.split(":")[0];
    expect(argsOf(runtime, "RUN").join("\n")).toContain(`chown ${uid}:${uid} ${dbDir}`);
  });

  it("copies the app from the build stage, the bundle from the policies stage and OPA from the opa stage only", () => {
    const sources = argsOf(runtime, "COPY").map((args) => /--from=(\S+)/.exec(args)?.[1] ?? "context");
    expect(new Set(sources)).toEqual(new Set(["build", "policies", "opa", "context"]));
    expect(
      argsOf(runtime, "COPY")
        .filter((args) => !args.startsWith("--from"))
        .join("\n"),
    ).not.toMatch(/src\/|node_modules/);
  });

  it("starts the compiled server that `npm start` starts, and ships the repol CLI", () => {
    const pkg = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8"));
    const cmd = argsOf(runtime, "CMD");
    expect(cmd).toHaveLength(1);
    // The same words, node flags included: the image runs repol as `npm start` does.
    expect(JSON.parse(cmd[0]!)).toEqual(pkg.scripts.start.split(" "));
    expect(argsOf(runtime, "RUN").join("\n")).toContain(`ln -s /app/${pkg.bin.repol} /usr/local/bin/repol`);
    expect(variablesOf(runtime, "ENV").NODE_ENV).toBe("production");
  });
});

describe(".dockerignore", () => {
  const ignored = readFileSync(join(repoRoot, ".dockerignore"), "utf8")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith("#"));

  it("keeps credentials, local state and dependencies out of the build context", () => {
    for (const entry of [".env", "*.pem", "node_modules", "data", "*.db", ".git"]) expect(ignored).toContain(entry);
  });

  it("does not exclude anything the Dockerfile copies", () => {
    const copied = stages
      .flatMap((stage) => argsOf(stage, "COPY"))
      .filter((args) => !args.startsWith("--from"))
      .flatMap((args) => args.split(" ").slice(0, -1))
      .map((source) => source.replace(/\/$/, ""));
    expect(copied.length).toBeGreaterThan(0);
    for (const source of copied) expect(ignored, source).not.toContain(source);
  });
});
