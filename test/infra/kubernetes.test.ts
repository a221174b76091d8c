// The Kubernetes manifests, parsed and checked for the promises docs/deploy.md makes about them.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openAuditStore } from "../../src/audit/open-audit-store.js";
import type { AuditStore } from "../../src/audit/store.js";
import { buildRegistry } from "../../src/handlers/registry.js";
import { loadPolicyEngine } from "../../src/policy/engine.js";
import { loadSettings } from "../../src/settings.js";
import { policyWasmPath, repoRoot } from "../helpers/policy-bundle.js";
import { serveRepol, type ServedRepol } from "../helpers/repol-over-http.js";
import { readDockerfile, variablesOf } from "./read-dockerfile.js";

const k8sDir = join(repoRoot, "infra", "k8s");
const files = readdirSync(k8sDir).filter((file) => /\.ya?ml$/.test(file));
const documents = files.flatMap((file) =>
  parseAllDocuments(readFileSync(join(k8sDir, file), "utf8")).map((document) => ({ file, document, object: document.toJS() as any })),
);
const objects = documents.filter(({ file }) => file !== "kustomization.yaml");
const one = (kind: string) => {
  const found = objects.filter(({ object }) => object.kind === kind);
  expect(found, `exactly one ${kind}`).toHaveLength(1);
  return found[0]!.object;
};
const deployment = one("Deployment");
const service = one("Service");
const secret = one("Secret");
const pod = deployment.spec.template.spec;
const container = pod.containers[0];
const runtimeEnv = variablesOf(readDockerfile(join(repoRoot, "Dockerfile")).at(-1)!, "ENV");
const envExample = readFileSync(join(repoRoot, ".env.example"), "utf8");

describe("infra/k8s manifests", () => {
  it("parse as YAML, each document with apiVersion, kind and metadata.name", () => {
    expect(files.sort()).toEqual(["deployment.yaml", "kustomization.yaml", "secret.example.yaml", "service.yaml"]);
    for (const { file, document, object } of documents) {
      expect(document.errors, file).toEqual([]);
      expect(object.apiVersion, file).toMatch(/^[a-z0-9.\-/]*v\d+(beta\d+)?$/);
      expect(object.kind, file).toMatch(/^[A-Z][A-Za-z]+$/);
      if (object.kind !== "Kustomization") expect(object.metadata?.name, file).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
    }
  });

  it("run at least two replicas whose pods the selector and the Service both match", () => {
    expect(deployment.apiVersion).toBe("apps/v1");
    expect(deployment.spec.replicas).toBeGreaterThanOrEqual(2);
    const podLabels = deployment.spec.template.metadata.labels;
    expect(podLabels).toMatchObject(deployment.spec.selector.matchLabels);
    expect(podLabels).toMatchObject(service.spec.selector);
    expect(one("PodDisruptionBudget").spec.selector.matchLabels).toEqual(deployment.spec.selector.matchLabels);
  });

  it("use PostgreSQL from a Secret, since replicas cannot share a SQLite file", () => {
    const databaseUrl = container.env.find((variable: any) => variable.name === "DATABASE_URL");
    expect(databaseUrl.valueFrom.secretKeyRef).toEqual({ name: secret.metadata.name, key: "DATABASE_URL" });
    expect(container.env.find((variable: any) => variable.name === "AUDIT_DB_PATH")).toBeUndefined();
  });

  it("reference only Secret keys that the example Secret defines, and only variables .env.example explains", () => {
    for (const variable of container.env) {
      expect(envExample, variable.name).toMatch(new RegExp(`^#? ?${variable.name}=`, "m"));
      const ref = variable.valueFrom?.secretKeyRef;
      if (!ref) continue;
      expect(ref.name).toBe(secret.metadata.name);
      expect(Object.keys(secret.stringData)).toContain(ref.key);
    }
  });

  it("ship an example Secret with placeholder values only", () => {
    expect(Object.values(secret.stringData).every((value) => value === "REPLACE_ME")).toBe(true);
    expect(secret.data).toBeUndefined();
    expect(readFileSync(join(k8sDir, "secret.example.yaml"), "utf8")).toMatch(/EXAMPLE ONLY/);
  });

  it("probe /ready for readiness and /health for liveness on the container's named port", () => {
    expect(container.readinessProbe.httpGet.path).toBe("/ready");
    expect(container.livenessProbe.httpGet.path).toBe("/health");
    const portNames = container.ports.map((port: any) => port.name);
    expect(portNames).toContain(container.readinessProbe.httpGet.port);
    expect(portNames).toContain(container.livenessProbe.httpGet.port);
  });

  it("listen on the port the image listens on, and route the Service to it", () => {
    const http = container.ports.find((port: any) => port.name === "http");
    expect(String(http.containerPort)).toBe(runtimeEnv.PORT);
    expect(container.env.find((variable: any) => variable.name === "PORT").value).toBe(runtimeEnv.PORT);
    expect(service.spec.ports.map((port: any) => port.targetPort)).toEqual(["http"]);
  });

  it("set resource requests and a memory limit", () => {
    expect(container.resources.requests).toMatchObject({ cpu: expect.any(String), memory: expect.any(String) });
    expect(container.resources.limits.memory).toEqual(expect.any(String));
  });

  it("run as a non-root user on a read-only root filesystem without privilege escalation", () => {
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    expect(pod.securityContext.runAsUser).toBeGreaterThan(0);
    expect(container.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } });
    // A read-only root still needs somewhere to write temporary files.
    expect(container.volumeMounts).toContainEqual({ name: "tmp", mountPath: "/tmp" });
    expect(pod.volumes.map((volume: any) => volume.name)).toContain("tmp");
  });

  it("apply through kustomize without the example Secret", () => {
    const kustomization = documents.find(({ file }) => file === "kustomization.yaml")!.object;
    expect(kustomization.resources).not.toContain("secret.example.yaml");
    for (const resource of kustomization.resources) expect(existsSync(join(k8sDir, resource)), resource).toBe(true);
  });
});

describe("the probe paths", () => {
  let repol: ServedRepol;
  let store: AuditStore;

  beforeAll(async () => {
    store = await openAuditStore({ databaseUrl: null, auditDbPath: ":memory:" });
    const engine = await loadPolicyEngine(policyWasmPath());
    repol = await serveRepol({ registry: buildRegistry([]), deps: { engine, store, settings: loadSettings({}) } });
  });
  afterAll(async () => {
    await repol?.close();
    await store?.close();
  });

  it.each([["readinessProbe"], ["livenessProbe"]])("the %s path is served by the app with 200", async (probe) => {
    const response = await fetch(`${repol.url}${container[probe].httpGet.path}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
  });
});
