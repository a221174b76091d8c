// CPU per decision spent on the GitHub client path alone: for each of N events, the client a handler
// gets (Probot's installation auth, plus the per-event client where there is one), the facts query
// (GraphQL) and the answer (a deployment callback), against a fake GitHub in another process. No policy,
// no SQLite: what this measures is what a change to src/github/ saves.
// Run: node --import tsx bench/client-path.ts (BENCH_EVENTS 4000, BENCH_INSTALLATIONS 200, BENCH_PARALLEL 20).
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { once } from "node:events";
import { generateKeyPairSync } from "node:crypto";
import { createProbot } from "probot";
import { probotGitHubOverrides } from "../src/github/octokit-options.js";

const EVENTS = Number(process.env.BENCH_EVENTS ?? 4000);
const INSTALLATIONS = Number(process.env.BENCH_INSTALLATIONS ?? 200);
const PARALLEL = Number(process.env.BENCH_PARALLEL ?? 20);

// The fake GitHub: a token per installation, a facts answer of about 2 KiB, a 204 for the callback.
const server = `
const http = require("node:http");
const facts = JSON.stringify({ data: { repository: { nameWithOwner: "acme/widgets", isPrivate: true, pad: "x".repeat(2000) } } });
http.createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    if (req.url.endsWith("/access_tokens")) {
      res.writeHead(201, { "content-type": "application/json; charset=utf-8" });
      return res.end(JSON.stringify({ token: "ghs_bench", expires_at: new Date(Date.now() + 3600e3).toISOString(), permissions: {}, repository_selection: "all" }));
    }
    if (req.url.endsWith("/graphql")) {
      res.writeHead(200, { "content-type": "application/json; charset=utf-8" });
      return res.end(facts);
    }
    res.writeHead(204);
    res.end();
  });
}).listen(0, "127.0.0.1", function () { console.log(this.address().port); });`;
const fake = spawn(process.execPath, ["-e", server], { stdio: ["ignore", "pipe", "inherit"] });
const [chunk] = (await once(fake.stdout!, "data")) as [Buffer];
const host = `127.0.0.1:${chunk.toString().trim()}`;

const probot = createProbot({
  env: {
    APP_ID: "1",
    PRIVATE_KEY: generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    WEBHOOK_SECRET: "bench",
    GHE_HOST: host,
    GHE_PROTOCOL: "http",
    LOG_LEVEL: "warn",
  },
  overrides: probotGitHubOverrides({ timeoutMs: 10_000 }),
});

// With per-event clients (src/github/event-client.ts), a handler gets one over the installation's client.
type Client = Awaited<ReturnType<typeof probot.auth>>;
let forEvent = (client: Client, _delivery: string) => client;
if (existsSync(new URL("../src/github/event-client.ts", import.meta.url))) {
  const { clientForEvent } = await import("../src/github/event-client.js");
  const { EventTally } = await import("../src/github/count-requests.js");
  forEvent = (client, delivery) => clientForEvent(client as never, new EventTally(delivery)) as unknown as Client;
}

async function decision(i: number): Promise<void> {
  const github = forEvent(await probot.auth(1 + (i % INSTALLATIONS)), `delivery-${i}`);
  await github.graphql('query RepolFacts($owner: String!) { repository(owner: $owner, name: "widgets") { nameWithOwner } }', { owner: "acme" });
  await github.request("POST /repos/{owner}/{repo}/actions/runs/{run_id}/deployment_protection_rule", {
    owner: "acme",
    repo: "widgets",
    run_id: i,
    environment_name: "production",
    state: "approved",
    comment: "ok",
  });
}

async function run(events: number): Promise<{ cpuMs: number; seconds: number }> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: PARALLEL }, async () => {
      while (next < events) await decision(next++);
    }),
  );
  const used = process.cpuUsage(cpu);
  return { cpuMs: (used.user + used.system) / 1000 / events, seconds: (performance.now() - started) / 1000 };
}

await run(INSTALLATIONS); // every installation's token, once
for (let round = 1; round <= 3; round++) {
  const { cpuMs, seconds } = await run(EVENTS);
  console.log(`round ${round}: ${cpuMs.toFixed(2)} ms CPU per decision on the client path, ${(EVENTS / seconds).toFixed(0)} decisions/s`);
}
fake.kill();
