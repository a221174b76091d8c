import { mkdtempSync, rmSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openSqliteStore, type SqliteAuditStore } from "../../src/audit/sqlite-store.js";
import { auditRouter } from "../../src/http/audit-router.js";
import { auditRow } from "../audit/fixtures.js";
import { loadOpenApi } from "../helpers/openapi.js";

const TOKEN = "verify-token-5e1d";
const openapi = loadOpenApi();
let dir: string;
let store: SqliteAuditStore;
let server: Server;
let base: string;
const ids: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "repol-verify-route-"));
  store = openSqliteStore(join(dir, "audit.db"));
  await store.migrate();
  for (let i = 0; i < 5; i++) ids.push((await store.insert(auditRow({ delivery_id: `v-${i}` }))).id);
  const app = express().use("/audit", auditRouter({ store, token: TOKEN }));
  server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, "127.0.0.1", () => resolve(listening));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function verify(headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` }) {
  const response = await fetch(`${base}/audit/verify`, { headers });
  const body: unknown = await response.json();
  openapi.assertResponse("/audit/verify", "get", response.status, response.headers.get("content-type"), body);
  return { status: response.status, body };
}

describe("GET /audit/verify", () => {
  it("answers 401 without the bearer token", async () => {
    expect((await verify({})).status).toBe(401);
  });

  it("says every row verifies, then names the row whose violations were rewritten with SQL", async () => {
    expect(await verify()).toEqual({ status: 200, body: { ok: true, rows: 5, anchor_seq: 0 } });
    const db = new Database(join(dir, "audit.db"));
    db.prepare("UPDATE audit_records SET violations = ?, decision = 'deny' WHERE id = ?").run('[{"code":"approvals","msg":"needs 2"}]', ids[3]);
    db.close();
    const { status, body } = await verify();
    expect(status).toBe(200);
    expect(body).toMatchObject({ ok: false, rows: 3, first_broken: { id: ids[3], reason: expect.stringMatching(/^hash mismatch/) } });
  });
});
