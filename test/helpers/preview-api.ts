// A repol audit API on 127.0.0.1 over a fresh SQLite store and the compiled policy, for the
// preview endpoint and the `repol preview` command: the same server the App mounts at /audit.
import { mkdtempSync, rmSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import express from "express";
import { openSqliteStore, type SqliteAuditStore } from "../../src/audit/sqlite-store.js";
import { auditRouter } from "../../src/http/audit-router.js";
import { loadPolicyEngine } from "../../src/policy/engine.js";
import { policyWasmPath } from "./policy-bundle.js";

export interface PreviewApi {
  url: string;
  store: SqliteAuditStore;
  /** A scratch folder removed by close(). */
  dir: string;
  close(): Promise<void>;
}

export async function servePreviewApi(token: string, publicUrl: string | null = null): Promise<PreviewApi> {
  const dir = mkdtempSync(join(tmpdir(), "repol-preview-api-"));
  const store = openSqliteStore(join(dir, "audit.db"));
  await store.migrate();
  const engine = await loadPolicyEngine(policyWasmPath());
  const app = express().use(express.json()).use("/audit", auditRouter({ store, token, engine, publicUrl }));
  const server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, "127.0.0.1", () => resolve(listening));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    store,
    dir,
    close: async () => {
      await new Promise((resolve) => server.close(resolve));
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
