import { createServer as createTcpServer, type Server as TcpServer, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import express from "express";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { openAuditStore } from "../../src/audit/open-audit-store.js";
import { openPostgresStore } from "../../src/audit/postgres-store.js";
import type { AuditStore } from "../../src/audit/store.js";
import { buildRegistry } from "../../src/handlers/registry.js";
import { healthRouter } from "../../src/http/health.js";
import type { PolicyEngine } from "../../src/policy/engine-types.js";
import { loadPolicyEngine } from "../../src/policy/engine.js";
import { loadSettings } from "../../src/settings.js";
import { policyWasmPath } from "../helpers/policy-bundle.js";
import { serveRepol, type ServedRepol } from "../helpers/repol-over-http.js";

let engine: PolicyEngine;
const cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  engine = await loadPolicyEngine(policyWasmPath());
});

afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function repolWith(store: AuditStore): Promise<ServedRepol> {
  const repol = await serveRepol({ registry: buildRegistry([]), deps: { engine, store, settings: loadSettings({}) } });
  cleanups.push(() => repol.close());
  return repol;
}

async function get(url: string): Promise<{ status: number; body: any }> {
  const response = await fetch(url);
  return { status: response.status, body: await response.json() };
}

async function sqliteStore(): Promise<AuditStore> {
  const store = await openAuditStore({ databaseUrl: null, auditDbPath: ":memory:" });
  cleanups.push(() => store.close());
  return store;
}

/** A TCP port that accepts connections and never says a word, like a database stuck behind a firewall. */
async function silentPort(): Promise<number> {
  const sockets: Socket[] = [];
  const server: TcpServer = createTcpServer((socket) => sockets.push(socket));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanups.push(
    () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  );
  return (server.address() as AddressInfo).port;
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createTcpServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe("GET /health", () => {
  it("answers 200 while the process runs, even when the store is down", async () => {
    const store = await sqliteStore();
    const repol = await repolWith(store);
    await store.close();
    expect(await get(`${repol.url}/health`)).toEqual({ status: 200, body: { status: "ok" } });
  });
});

describe("GET /ready", () => {
  it("answers 200 when the policies are loaded and the store answers", async () => {
    const repol = await repolWith(await sqliteStore());
    const { status, body } = await get(`${repol.url}/ready`);
    expect(status).toBe(200);
    expect(body.status).toBe("ready");
    expect(body.checks).toEqual([
      { name: "policies", ok: true, detail: `bundle sha256:${engine.digest}` },
      { name: "store", ok: true, detail: "sqlite reachable" },
    ]);
  });

  it("answers 503 once the SQLite store is closed", async () => {
    const store = await sqliteStore();
    const repol = await repolWith(store);
    await store.close();
    const { status, body } = await get(`${repol.url}/ready`);
    expect(status).toBe(503);
    expect(body.status).toBe("not_ready");
    expect(body.checks).toContainEqual({ name: "store", ok: false, detail: "sqlite store unreachable" });
    expect(body.checks).toContainEqual(expect.objectContaining({ name: "policies", ok: true }));
  });

  it("answers 503 when PostgreSQL refuses connections, without leaking the address", async () => {
    const port = await closedPort();
    const store = openPostgresStore(`postgres://repol:secret@127.0.0.1:${port}/repol`, { onPoolError: () => undefined });
    cleanups.push(() => store.close());
    const repol = await repolWith(store);
    const response = await fetch(`${repol.url}/ready`);
    const text = await response.text();
    expect(response.status).toBe(503);
    expect(JSON.parse(text).checks).toContainEqual({ name: "store", ok: false, detail: "postgres store unreachable" });
    expect(text).not.toContain(String(port));
    expect(text).not.toContain("secret");
  });

  it("answers 503 within its timeout when the database accepts connections but never answers", async () => {
    const port = await silentPort();
    const store = openPostgresStore(`postgres://repol:secret@127.0.0.1:${port}/repol`, { onPoolError: () => undefined });
    // Closed last, after the silent server has dropped the pending connection, so close() does not wait it out.
    cleanups.unshift(() => store.close().catch(() => undefined));
    const app = express().use(healthRouter({ engine, store, storeTimeoutMs: 200 }));
    const server = app.listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    cleanups.push(() => new Promise((resolve) => server.close(() => resolve())));
    const started = Date.now();
    const { status, body } = await get(`http://127.0.0.1:${(server.address() as AddressInfo).port}/ready`);
    expect(status).toBe(503);
    expect(body.checks).toContainEqual({ name: "store", ok: false, detail: "postgres store unreachable" });
    // Well under the pool's own 5 s connection timeout: the probe must not hang with the database.
    expect(Date.now() - started).toBeLessThan(4000);
  });

  it("answers 503 while no policy bundle is loaded", async () => {
    const store = await sqliteStore();
    const errors: unknown[] = [];
    const app = express().use(healthRouter({ engine: null, store, onStoreError: (error) => errors.push(error) }));
    const server = app.listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    cleanups.push(() => new Promise((resolve) => server.close(() => resolve())));
    const { status, body } = await get(`http://127.0.0.1:${(server.address() as AddressInfo).port}/ready`);
    expect(status).toBe(503);
    expect(body.checks).toEqual([
      { name: "policies", ok: false, detail: "policy bundle not loaded" },
      { name: "store", ok: true, detail: "sqlite reachable" },
    ]);
    expect(errors).toEqual([]);
  });
});
