import { mkdtempSync, rmSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openSqliteStore, type SqliteAuditStore } from "../../src/audit/sqlite-store.js";
import type { AuditRecord, NewAuditRecord } from "../../src/audit/record.js";
import type { AuditStore } from "../../src/audit/store.js";
import { auditRouter } from "../../src/http/audit-router.js";
import { AUDIT_COLUMNS } from "../../src/audit/audit-row.js";
import { auditRow, TestClock } from "../audit/fixtures.js";
import { loadOpenApi } from "../helpers/openapi.js";
import { parseCsv } from "./parse-csv.js";
import { serveRepol } from "../helpers/repol-over-http.js";
import { buildRegistry } from "../../src/handlers/registry.js";
import { loadSettings } from "../../src/settings.js";
import type { PolicyEngine } from "../../src/policy/engine-types.js";

const TOKEN = "test-token-7f3a9c";
const auth = { authorization: `Bearer ${TOKEN}` };
const openapi = loadOpenApi();

let dir: string;
let store: SqliteAuditStore;
let rows: AuditRecord[];
const servers: Server[] = [];

async function serve(router: express.Router): Promise<string> {
  const app = express();
  app.use("/audit", router);
  // The same last-resort shape as src/server.ts.
  app.use(((_err, _req, res, _next) => {
    res.status(500).json({ error: "internal_error", message: "internal error" });
  }) as express.ErrorRequestHandler);
  const server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, "127.0.0.1", () => resolve(listening));
  });
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

let base: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "repol-audit-router-"));
  const clock = new TestClock("2025-03-01T00:00:00.000Z");
  store = openSqliteStore(join(dir, "audit.db"), { clock: clock.now });
  await store.migrate();
  rows = [];
  const shapes: Partial<NewAuditRecord>[] = [
    { repository: "acme/shop", decision: "allow", environment: "production", actor: "alice" },
    {
      repository: "acme/shop",
      decision: "deny",
      environment: "staging",
      actor: "bob",
      violations: [{ code: "approvals", msg: "needs 2 approvals, has 1" }],
      warnings: [{ code: "signoff.missing", msg: "not signed off", rule: "signed_off" }],
    },
    { repository: "acme/api", decision: "deny", environment: null, policy: "pullrequest", pr_number: 42, actor: '=HYPERLINK("http://evil")' },
    { repository: "acme/api", decision: "error", environment: "production", error: "GitHub answered 502, twice", actor: "carol" },
  ];
  const exemptions = [
    { repository: "shop", rules: ["signed_off"], reason: "audit of sign-offs", owner: "platform", expires: "2025-06-30", exempted: ["signoff.missing"] },
  ];
  for (let i = 0; i < 12; i++) {
    const { id } = await store.insert(
      auditRow({
        ...shapes[i % shapes.length],
        delivery_id: `delivery-${i}`,
        sha: `${String(i).padStart(2, "0")}ab${"c".repeat(36)}`,
        ...(i === 4 || i === 8 ? { exemptions } : {}),
      }),
    );
    rows.push((await store.get(id))!);
    clock.advance(3_600_000);
  }
  rows.reverse(); // newest first, as the API answers
  base = await serve(auditRouter({ store, token: TOKEN }));
});

afterAll(async () => {
  for (const server of servers) await new Promise((resolve) => server.close(resolve));
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function getJson(path: string, headers: Record<string, string> = auth) {
  const response = await fetch(`${base}${path}`, { headers });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const body: any = await response.json();
  return { status: response.status, body, headers: response.headers };
}

/** GETs `path` and checks the answer against docs/openapi.yaml for `specPath`. */
async function getChecked(path: string, specPath: string, headers: Record<string, string> = auth) {
  const result = await getJson(path, headers);
  openapi.assertResponse(specPath, "get", result.status, result.headers.get("content-type"), result.body);
  return result;
}

describe("authentication", () => {
  const routes: [string, string][] = [
    ["/audit", "/audit"],
    ["/audit/summary", "/audit/summary"],
    ["/audit/export", "/audit/export"],
    ["/audit/01JN0000000000000000000000", "/audit/{id}"],
  ];

  it.each(routes)("answers %s without a token with 401 and a Bearer challenge", async (path, specPath) => {
    const { status, body, headers } = await getChecked(path, specPath, {});
    expect(status).toBe(401);
    expect(body.error).toBe("unauthorized");
    expect(headers.get("www-authenticate")).toMatch(/^Bearer realm="repol"/);
  });

  const wrong: [string, string][] = [
    ["a wrong token", "Bearer nope"],
    ["a prefix of the token", `Bearer ${TOKEN.slice(0, -1)}`],
    ["the token with extra characters", `Bearer ${TOKEN}x`],
    ["another scheme", `Basic ${Buffer.from(`x:${TOKEN}`).toString("base64")}`],
    ["the bare token", TOKEN],
  ];

  it.each(wrong)("answers 401 to %s", async (_label, header) => {
    const { status, body } = await getChecked("/audit", "/audit", { authorization: header });
    expect(status).toBe(401);
    expect(body.error).toBe("unauthorized");
  });

  it("accepts the scheme name in any case", async () => {
    expect((await getJson("/audit", { authorization: `bearer ${TOKEN}` })).status).toBe(200);
  });

  it.each(routes)("answers %s with 503 when no token is configured, even to a request that sends one", async (path, specPath) => {
    const disabled = await serve(auditRouter({ store, token: null }));
    const response = await fetch(`${disabled}${path}`, { headers: auth });
    const body = (await response.json()) as { message: string };
    openapi.assertResponse(specPath, "get", response.status, response.headers.get("content-type"), body);
    expect(response.status).toBe(503);
    expect(body.message).toContain("AUDIT_API_TOKEN");
  });
});

describe("GET /audit", () => {
  it("answers the newest 50 rows by default, as documented", async () => {
    const { status, body, headers } = await getChecked("/audit", "/audit");
    expect(status).toBe(200);
    expect(body.rows.map((r: AuditRecord) => r.id)).toEqual(rows.map((r) => r.id));
    expect(body.next).toBeNull();
    expect(headers.get("cache-control")).toBe("no-store");
  });

  it("pages with the next cursor until every row was seen once", async () => {
    const seen: string[] = [];
    let path = "/audit?limit=5";
    for (let i = 0; i < 10; i++) {
      const { body } = await getChecked(path, "/audit");
      seen.push(...body.rows.map((r: AuditRecord) => r.id));
      if (!body.next) break;
      path = `/audit?limit=5&cursor=${encodeURIComponent(body.next)}`;
    }
    expect(seen).toEqual(rows.map((r) => r.id));
  });

  it("applies every filter given, combined", async () => {
    const { body } = await getChecked("/audit?repository=acme/shop&decision=deny", "/audit");
    const expected = rows.filter((r) => r.repository === "acme/shop" && r.decision === "deny");
    expect(expected.length).toBeGreaterThan(1);
    expect(body.rows.map((r: AuditRecord) => r.id)).toEqual(expected.map((r) => r.id));
  });

  it("filters by time window, pull request and SHA prefix", async () => {
    const window = await getChecked(`/audit?since=${rows[5].created_at}&until=${rows[2].created_at}`, "/audit");
    expect(window.body.rows.map((r: AuditRecord) => r.id)).toEqual(rows.slice(3, 6).map((r) => r.id));
    const pr = await getChecked("/audit?pr=42", "/audit");
    expect(pr.body.rows.map((r: AuditRecord) => r.pr_number)).toEqual([42, 42, 42]);
    const sha = await getChecked(`/audit?sha=${rows[0].sha!.slice(0, 8).toUpperCase()}`, "/audit");
    expect(sha.body.rows.map((r: AuditRecord) => r.id)).toEqual([rows[0].id]);
  });

  it("lists only the decisions that used an exemption, each with the exemptions it used", async () => {
    const { body } = await getChecked("/audit?exempted=true", "/audit");
    const expected = rows.filter((r) => r.exemptions !== undefined);
    expect(expected).toHaveLength(2);
    expect(body.rows.map((r: AuditRecord) => r.id)).toEqual(expected.map((r) => r.id));
    expect(body.rows[0].exemptions[0]).toMatchObject({ owner: "platform", expires: "2025-06-30" });
    const rest = await getChecked("/audit?exempted=false&limit=500", "/audit");
    expect(rest.body.rows).toHaveLength(rows.length - 2);
  });

  const bad: [string, string][] = [
    ["decision=maybe", "decision"],
    ["pr=abc", "pr"],
    ["pr=0", "pr"],
    ["pr=-3", "pr"],
    ["limit=0", "limit"],
    ["limit=501", "limit"],
    ["limit=2.5", "limit"],
    ["sha=xyz1234", "sha"],
    ["sha=abc12", "sha"],
    ["since=yesterday", "since"],
    ["since=2025-02-30", "since"],
    ["since=2025-03-01T10:00:00", "since"],
    ["until=2025-13-01T00:00:00Z", "until"],
    ["since=2025-03-02&until=2025-03-01", "until"],
    ["cursor=not-a-cursor", "cursor"],
    ["repository=shop", "repository"],
    ["policy=Deploy!", "policy"],
    ["environment=%0Aprod", "environment"],
    ["repo=acme/shop", "repo"],
    ["decision=allow&decision=deny", "decision"],
    ["format=csv", "format"],
    ["exempted=yes", "exempted"],
  ];

  it.each(bad)("answers ?%s with 400 naming %s", async (query, parameter) => {
    const { status, body } = await getChecked(`/audit?${query}`, "/audit");
    expect(status).toBe(400);
    expect(body).toMatchObject({ error: "bad_request", parameter });
    expect(body.message).toContain(parameter);
  });

  it("answers 500 as JSON when the store fails", async () => {
    const broken: AuditStore = { ...storeFacade(store), query: () => Promise.reject(new Error("disk I/O error")) };
    const url = await serve(auditRouter({ store: broken, token: TOKEN }));
    const response = await fetch(`${url}/audit`, { headers: auth });
    const body = await response.json();
    openapi.assertResponse("/audit", "get", response.status, response.headers.get("content-type"), body);
    expect(response.status).toBe(500);
    expect(JSON.stringify(body)).not.toContain("disk I/O");
  });
});

describe("GET /audit/:id", () => {
  it("answers one row as documented", async () => {
    const { status, body } = await getChecked(`/audit/${rows[1].id}`, "/audit/{id}");
    expect(status).toBe(200);
    expect(body).toEqual(rows[1]);
  });

  it.each([
    ["an id no row has", "01JN0000000000000000000000"],
    ["something that is not an id", "..%2F..%2Fetc"],
  ])("answers 404 for %s", async (_label, id) => {
    const { status, body } = await getChecked(`/audit/${id}`, "/audit/{id}");
    expect(status).toBe(404);
    expect(body.error).toBe("not_found");
  });
});

describe("GET /audit/summary", () => {
  it("answers totals for all rows and for a window, as documented", async () => {
    const all = await getChecked("/audit/summary", "/audit/summary");
    expect(all.body).toMatchObject({ since: null, until: null, total: 12, by_decision: { allow: 3, deny: 6, error: 3 } });
    expect(all.body.by_environment).toEqual({ production: 6, staging: 3 });
    const window = await getChecked(`/audit/summary?since=${rows[3].created_at}`, "/audit/summary");
    expect(window.body).toMatchObject({ since: rows[3].created_at, until: null, total: 4 });
  });

  it.each([
    ["since=last-week", "since"],
    ["decision=deny", "decision"],
  ])("answers ?%s with 400 naming %s", async (query, parameter) => {
    const { status, body } = await getChecked(`/audit/summary?${query}`, "/audit/summary");
    expect(status).toBe(400);
    expect(body.parameter).toBe(parameter);
  });
});

describe("GET /audit/export", () => {
  it("streams every matching row as NDJSON, newest first, each line a documented AuditRecord", async () => {
    const response = await fetch(`${base}/audit/export?decision=deny`, { headers: auth });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/x-ndjson; charset=utf-8");
    expect(response.headers.get("content-disposition")).toMatch(/^attachment; filename="repol-audit-.+\.ndjson"$/);
    expect(response.headers.get("content-length")).toBeNull();
    const lines = (await response.text()).split("\n");
    expect(lines.pop()).toBe("");
    const records = lines.map((line) => JSON.parse(line));
    for (const record of records) openapi.assertSchema("AuditRecord", record);
    expect(records).toEqual(rows.filter((r) => r.decision === "deny"));
  });

  it("streams CSV with a header row, quoted cells, JSON cells and formulas defused", async () => {
    const response = await fetch(`${base}/audit/export?format=csv`, { headers: auth });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    const [header, ...lines] = parseCsv(await response.text());
    expect(header).toEqual([...AUDIT_COLUMNS]);
    expect(lines).toHaveLength(rows.length);
    const cell = (line: string[], column: string) => line[header.indexOf(column)];
    lines.forEach((line, i) => {
      expect(cell(line, "id")).toBe(rows[i].id);
      expect(JSON.parse(cell(line, "input"))).toEqual(rows[i].input);
      expect(JSON.parse(cell(line, "violations"))).toEqual(rows[i].violations);
      expect(cell(line, "pr_number")).toBe(rows[i].pr_number === null ? "" : String(rows[i].pr_number));
    });
    const formula = lines.find((line) => cell(line, "actor").includes("HYPERLINK"))!;
    expect(cell(formula, "actor")).toBe(`'=HYPERLINK("http://evil")`);
    const withComma = lines.find((line) => cell(line, "decision") === "error")!;
    expect(cell(withComma, "error")).toBe("GitHub answered 502, twice");
  });

  it("exports more rows than one database chunk", async () => {
    const many = openSqliteStore(join(dir, "many.db"), { streamChunkSize: 100 });
    await many.migrate();
    for (let i = 0; i < 1_050; i++) await many.insert(auditRow({ delivery_id: `bulk-${i}` }));
    const url = await serve(auditRouter({ store: many, token: TOKEN }));
    const text = await (await fetch(`${url}/audit/export`, { headers: auth })).text();
    const ids = text
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line).delivery_id);
    expect(new Set(ids).size).toBe(1_050);
    await many.close();
  });

  it.each([
    ["format=xml", "format"],
    ["limit=10", "limit"],
    ["decision=nope", "decision"],
  ])("answers ?%s with 400 naming %s before streaming anything", async (query, parameter) => {
    const { status, body } = await getChecked(`/audit/export?${query}`, "/audit/export");
    expect(status).toBe(400);
    expect(body.parameter).toBe(parameter);
  });

  it("answers an export with 500 as JSON when the store fails before the first row", async () => {
    const broken: AuditStore = {
      ...storeFacade(store),
      // biome-ignore lint/correctness/useYield: a stream that fails before its first row
      async *stream() {
        throw new Error("SQLITE_CANTOPEN");
      },
    };
    const url = await serve(auditRouter({ store: broken, token: TOKEN }));
    const response = await fetch(`${url}/audit/export`, { headers: auth });
    expect(response.status).toBe(500);
    expect(((await response.json()) as { error: string }).error).toBe("internal_error");
  });

  it("cuts the connection, rather than ending cleanly, when the store fails midway", async () => {
    const errors: Error[] = [];
    const failing: AuditStore = {
      ...storeFacade(store),
      async *stream(q) {
        let n = 0;
        for await (const row of store.stream(q)) {
          if (++n > 3) {
            // Late enough that the status line and the first rows have reached the client.
            await new Promise((resolve) => setTimeout(resolve, 50));
            throw new Error("database disk image is malformed");
          }
          yield row;
        }
      },
    };
    const url = await serve(auditRouter({ store: failing, token: TOKEN, onExportError: (error) => errors.push(error) }));
    const response = await fetch(`${url}/audit/export`, { headers: auth });
    expect(response.status).toBe(200);
    await expect(response.text()).rejects.toThrow();
    expect(errors.map((e) => e.message)).toEqual(["database disk image is malformed"]);
  });
});

describe("in repol's server", () => {
  // The engine is never consulted by /audit; a stand-in keeps this test free of the policy build.
  const engine: PolicyEngine = {
    digest: "unused",
    evaluate: () => {
      throw new Error("not used by /audit");
    },
  };

  it.each([
    ["answers with the token", TOKEN, { authorization: `Bearer ${TOKEN}` }, 200],
    ["refuses without the token", TOKEN, {}, 401],
    ["is disabled when AUDIT_API_TOKEN is unset", "", { authorization: `Bearer ${TOKEN}` }, 503],
  ] as const)("mounts /audit, which %s", async (_label, configured, headers, status) => {
    const repol = await serveRepol({ registry: buildRegistry([]), deps: { engine, store, settings: loadSettings({ AUDIT_API_TOKEN: configured }) } });
    try {
      const response = await fetch(`${repol.url}/audit?limit=1`, { headers });
      expect(response.status).toBe(status);
      expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    } finally {
      await repol.close();
    }
  });
});

describe("docs/openapi.yaml", () => {
  it("documents exactly the audit routes this router serves", () => {
    const auditPaths = Object.keys(openapi.doc.paths).filter((path) => path.startsWith("/audit"));
    expect(auditPaths.sort()).toEqual(["/audit", "/audit/export", "/audit/preview", "/audit/summary", "/audit/verify", "/audit/{id}", "/audit/{id}/replay"]);
    expect(openapi.doc.openapi).toMatch(/^3\.1\./);
  });
});

/** The store's methods bound to it, so a test can replace one of them. */
function storeFacade(real: AuditStore): AuditStore {
  return {
    kind: real.kind,
    migrate: () => real.migrate(),
    insert: (row) => real.insert(row),
    get: (id) => real.get(id),
    findByDelivery: (id) => real.findByDelivery(id),
    query: (q) => real.query(q),
    stream: (q) => real.stream(q),
    summary: (w) => real.summary(w),
    count: (q) => real.count(q),
    purgeOlderThan: (before) => real.purgeOlderThan(before),
    verifyChain: () => real.verifyChain(),
    ping: () => real.ping(),
    close: () => real.close(),
  };
}
