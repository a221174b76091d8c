// Failed-attempt throttling of the HTTP API: the limiter on its own (with a test clock), then
// through repol's real server, where the audit and evaluate APIs use it.
import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openAuditStore } from "../../src/audit/open-audit-store.js";
import type { AuditStore } from "../../src/audit/store.js";
import { buildRegistry } from "../../src/handlers/registry.js";
import { clientKeyOf, createFailedAttemptLimiter } from "../../src/http/auth-rate-limit.js";
import type { PolicyEngine } from "../../src/policy/engine-types.js";
import { loadSettings } from "../../src/settings.js";
import { loadOpenApi } from "../helpers/openapi.js";
import { serveRepol, type ServedRepol } from "../helpers/repol-over-http.js";

function clock() {
  let t = 1_000_000;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

describe("createFailedAttemptLimiter", () => {
  it("lets a client fail 10 times in a minute and throttles it for the rest of that minute", () => {
    const time = clock();
    const limiter = createFailedAttemptLimiter({ now: time.now });
    for (let i = 0; i < 10; i++) {
      expect(limiter.retryAfterSeconds("10.0.0.1")).toBe(0);
      limiter.recordFailure("10.0.0.1");
      time.advance(1_000);
    }
    expect(limiter.retryAfterSeconds("10.0.0.1")).toBe(50);
    time.advance(49_500);
    expect(limiter.retryAfterSeconds("10.0.0.1")).toBe(1);
    time.advance(500);
    expect(limiter.retryAfterSeconds("10.0.0.1")).toBe(0);
  });

  it("counts each client on its own", () => {
    const limiter = createFailedAttemptLimiter({ maxFailures: 2, now: clock().now });
    limiter.recordFailure("a");
    limiter.recordFailure("a");
    limiter.recordFailure("b");
    expect([limiter.retryAfterSeconds("a") > 0, limiter.retryAfterSeconds("b") > 0]).toEqual([true, false]);
  });

  it("starts a fresh count once the window is over", () => {
    const time = clock();
    const limiter = createFailedAttemptLimiter({ maxFailures: 3, windowMs: 10_000, now: time.now });
    limiter.recordFailure("a");
    limiter.recordFailure("a");
    time.advance(10_000);
    limiter.recordFailure("a");
    limiter.recordFailure("a");
    expect(limiter.retryAfterSeconds("a")).toBe(0);
  });

  it("remembers at most maxClients addresses, dropping expired ones first, then the oldest", () => {
    const time = clock();
    const limiter = createFailedAttemptLimiter({ maxClients: 100, maxFailures: 1, windowMs: 1_000, now: time.now });
    for (let i = 0; i < 50; i++) limiter.recordFailure(`old-${i}`);
    time.advance(1_000);
    for (let i = 0; i < 10_000; i++) limiter.recordFailure(`flood-${i}`);
    expect(limiter.size).toBeLessThanOrEqual(100);
    expect(limiter.retryAfterSeconds("flood-9999")).toBeGreaterThan(0);
  });
});

describe("clientKeyOf", () => {
  it.each([
    ["an IPv4 address", "203.0.113.7", "203.0.113.7"],
    ["an IPv4 address mapped into IPv6", "::ffff:203.0.113.7", "203.0.113.7"],
    ["an IPv6 address, by its /64", "2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64"],
    ["another address of the same /64", "2001:db8:1:2::1", "2001:db8:1:2::/64"],
    ["a compressed IPv6 address", "2001:db8::1", "2001:db8:0:0::/64"],
    ["the IPv6 loopback", "::1", "0:0:0:0::/64"],
  ])("keys %s", (_label, ip, key) => {
    expect(clientKeyOf({ ip, socket: {} as never })).toBe(key);
  });
});

describe("through repol's HTTP API", () => {
  const TOKEN = "rate-limit-test-token-0123456789";
  const engine: PolicyEngine = {
    digest: "unused",
    evaluate: () => ({ policy: "deploy", allow: false, deny: [], violations: [{ code: "x", msg: "x" }], warnings: [] }),
  };
  const openapi = loadOpenApi();
  let store: AuditStore;
  let repol: ServedRepol;

  beforeAll(async () => {
    store = await openAuditStore({ databaseUrl: null, auditDbPath: ":memory:" });
    repol = await serveRepol({ registry: buildRegistry([]), deps: { engine, store, settings: loadSettings({ AUDIT_API_TOKEN: TOKEN }) } });
  });
  afterAll(async () => {
    await repol.close();
    await store.close();
  });

  /** GET or POST from a chosen loopback address, so tests can act as different clients. */
  function call(
    path: string,
    {
      from = "127.0.0.1",
      token,
      method = "GET",
      headers = {},
      server = repol,
    }: { from?: string; token?: string; method?: string; headers?: Record<string, string>; server?: ServedRepol } = {},
  ) {
    const { port } = new URL(server.url);
    return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: any }>((resolve, reject) => {
      const req = request(
        {
          host: "127.0.0.1",
          port,
          path,
          method,
          localAddress: from,
          headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), "content-type": "application/json", ...headers },
        },
        (res) => {
          let text = "";
          res.on("data", (chunk) => (text += chunk));
          res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: text ? JSON.parse(text) : null }));
        },
      );
      req.on("error", reject);
      req.end(method === "POST" ? "{}" : undefined);
    });
  }

  it("answers 429 with Retry-After after 10 failed attempts in a minute, and refuses even the right token meanwhile", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await call("/audit", { from: "127.0.0.2", token: `guess-${i}` })).status);
    const throttled = await call("/audit", { from: "127.0.0.2", token: "guess-10" });
    const rightToken = await call("/audit", { from: "127.0.0.2", token: TOKEN });

    expect(statuses).toEqual(Array(10).fill(401));
    expect(throttled.status).toBe(429);
    expect(Number(throttled.headers["retry-after"])).toBeGreaterThanOrEqual(59);
    expect(Number(throttled.headers["retry-after"])).toBeLessThanOrEqual(60);
    expect(throttled.body).toMatchObject({ error: "too_many_requests" });
    expect(throttled.body.message).toContain("try again in");
    openapi.assertResponse("/audit", "get", 429, String(throttled.headers["content-type"]), throttled.body);
    // A correct guess must look exactly like a wrong one while throttled.
    expect(rightToken.status).toBe(429);
  });

  it("counts requests without any token as failures too", async () => {
    for (let i = 0; i < 10; i++) expect((await call("/audit/summary", { from: "127.0.0.3" })).status).toBe(401);
    expect((await call("/audit/summary", { from: "127.0.0.3" })).status).toBe(429);
  });

  it("keeps serving other addresses while one is throttled", async () => {
    for (let i = 0; i < 11; i++) await call("/audit", { from: "127.0.0.4", token: "wrong" });
    expect((await call("/audit", { from: "127.0.0.4", token: TOKEN })).status).toBe(429);
    expect((await call("/audit", { from: "127.0.0.5", token: TOKEN })).status).toBe(200);
  });

  it("never throttles requests that carry the right token, however many", async () => {
    const statuses = new Set<number>();
    for (let i = 0; i < 60; i++) statuses.add((await call("/audit?limit=1", { from: "127.0.0.6", token: TOKEN })).status);
    expect([...statuses]).toEqual([200]);
  });

  it("is not fooled by an X-Forwarded-For header naming another client", async () => {
    for (let i = 0; i < 12; i++) {
      await call("/audit", { from: "127.0.0.7", token: "wrong", headers: { "x-forwarded-for": `198.51.100.${i}` } });
    }
    expect((await call("/audit", { from: "127.0.0.7", token: "wrong", headers: { "x-forwarded-for": "198.51.100.200" } })).status).toBe(429);
  });

  it("counts two clients behind one proxy as one without TRUST_PROXY", async () => {
    for (let i = 0; i < 10; i++) await call("/audit", { from: "127.0.0.10", token: "wrong", headers: { "x-forwarded-for": "198.51.100.1" } });
    expect((await call("/audit", { from: "127.0.0.10", token: TOKEN, headers: { "x-forwarded-for": "198.51.100.2" } })).status).toBe(429);
  });

  describe("with TRUST_PROXY naming the proxy", () => {
    let proxied: ServedRepol;
    beforeAll(async () => {
      proxied = await serveRepol({
        registry: buildRegistry([]),
        deps: { engine, store, settings: loadSettings({ AUDIT_API_TOKEN: TOKEN, TRUST_PROXY: "loopback" }) },
      });
    });
    afterAll(() => proxied.close());

    it("counts two clients behind the proxy apart, by their X-Forwarded-For address", async () => {
      const via = (client: string, token: string) => call("/audit", { server: proxied, from: "127.0.0.11", token, headers: { "x-forwarded-for": client } });
      for (let i = 0; i < 10; i++) expect((await via("198.51.100.1", "wrong")).status).toBe(401);
      expect((await via("198.51.100.1", TOKEN)).status).toBe(429);
      expect((await via("198.51.100.2", TOKEN)).status).toBe(200);
    });
  });

  it("counts failed guesses across /audit and /evaluate together, so two routers do not double the budget", async () => {
    for (let i = 0; i < 5; i++) expect((await call("/audit", { from: "127.0.0.9", token: "wrong" })).status).toBe(401);
    for (let i = 0; i < 5; i++) expect((await call("/evaluate/deploy", { from: "127.0.0.9", method: "POST", token: "wrong" })).status).toBe(401);
    expect((await call("/audit", { from: "127.0.0.9", token: "wrong" })).status).toBe(429);
    expect((await call("/evaluate/deploy", { from: "127.0.0.9", method: "POST", token: "wrong" })).status).toBe(429);
  });

  it("throttles guessing against POST /evaluate as well", async () => {
    for (let i = 0; i < 10; i++) expect((await call("/evaluate/deploy", { from: "127.0.0.8", method: "POST", token: "wrong" })).status).toBe(401);
    expect((await call("/evaluate/deploy", { from: "127.0.0.8", method: "POST", token: "wrong" })).status).toBe(429);
  });
});
