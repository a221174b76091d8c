// repol wired as src/main.ts wires it (production Octokit options: timeouts, retries, per-installation
// throttling), with a fresh SQLite audit store, listening on 127.0.0.1 and pointed at a loopback GitHub.
import { createHmac, generateKeyPairSync, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { Agent, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createProbot } from "probot";
import { openAuditStore } from "../../src/audit/open-audit-store.js";
import type { AuditStore } from "../../src/audit/store.js";
import { probotGitHubOverrides } from "../../src/github/octokit-options.js";
import { registry } from "../../src/handlers/index.js";
import { loadPolicyEngine } from "../../src/policy/engine.js";
import { createServer, WEBHOOK_PATH } from "../../src/server.js";
import { loadSettings } from "../../src/settings.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const WEBHOOK_SECRET = "bench-webhook-secret";

export interface RepolInstance {
  url: string;
  store: AuditStore;
  /** POSTs a signed delivery over a keep-alive connection; resolves with the HTTP status. */
  deliver(event: string, payload: unknown, id?: string): Promise<number>;
  close(): Promise<void>;
}

export async function startRepol(githubHost: string): Promise<RepolInstance> {
  const dir = mkdtempSync(join(tmpdir(), "repol-bench-"));
  const env = {
    GHE_HOST: githubHost,
    GHE_PROTOCOL: "http",
    AUDIT_DB_PATH: join(dir, "audit.db"),
    POLICY_WASM_PATH: join(root, "build", "policies", "policy.wasm"),
    APP_ID: "1",
    PRIVATE_KEY: generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    WEBHOOK_SECRET,
    LOG_LEVEL: "error" as const,
    LOG_FORMAT: "json" as const,
  };
  const settings = loadSettings(env);
  const engine = await loadPolicyEngine(settings.policyWasmPath);
  const store = await openAuditStore(settings);
  const probot = createProbot({ env, overrides: probotGitHubOverrides({ timeoutMs: settings.githubRequestTimeoutMs }) });
  const app = await createServer({ probot, registry, deps: { engine, store, settings } });
  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(0, "127.0.0.1", () => resolve(listening));
  });
  const { port } = server.address() as AddressInfo;
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  return {
    url: `http://127.0.0.1:${port}`,
    store,
    deliver(event, payload, id = randomUUID()) {
      const body = JSON.stringify(payload);
      const signature = `sha256=${createHmac("sha256", WEBHOOK_SECRET).update(body).digest("hex")}`;
      return new Promise((resolve, reject) => {
        const req = request(
          {
            host: "127.0.0.1",
            port,
            path: WEBHOOK_PATH,
            method: "POST",
            agent,
            headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body), "x-github-event": event, "x-github-delivery": id, "x-hub-signature-256": signature },
          },
          (res) => {
            res.resume();
            res.on("end", () => resolve(res.statusCode ?? 0));
          },
        );
        req.on("error", reject);
        req.end(body);
      });
    },
    async close() {
      agent.destroy();
      await app.work?.drain(5_000);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
