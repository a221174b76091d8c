// Webhook intake and end-to-end decisions under load: signed deployment_protection_rule deliveries
// from 1, 10 and 50 concurrent senders spread over many installations (GitHub throttles writes per
// installation), against repol wired as in production and a GitHub on 127.0.0.1.
//   intake latency   = POST sent → HTTP answer (the delivery is verified and stored); senders post
//                      as fast as they are answered (open loop), which also gives the decision throughput
//   decision latency = POST sent → the deployment callback reaches GitHub, each sender waiting for its
//                      decision before sending the next (closed loop, so the latency is not queueing)
// Run: node --import tsx bench/webhook-load.ts   (BENCH_WEBHOOK_DELIVERIES, BENCH_GITHUB_LATENCY_MS, BENCH_CLOSED_LOOP_DECISIONS)
import { performance } from "node:perf_hooks";
import { deploymentPayload, passingScenario } from "../test/helpers/deployment-scenario.js";
import { startLoopbackGitHub } from "./lib/loopback-github.js";
import { startRepol } from "./lib/repol-instance.js";
import { mib, ms, printTable, summarize, trackPeakRss } from "./lib/stats.js";

const DELIVERIES = Number(process.env.BENCH_WEBHOOK_DELIVERIES ?? 150);
/** A burst larger than the intake's in-memory queue (200), to show how the overflow is picked up. */
const BIG_BURST = Number(process.env.BENCH_WEBHOOK_BIG_BURST ?? 400);
const GITHUB_LATENCY_MS = Number(process.env.BENCH_GITHUB_LATENCY_MS ?? 0);
const CLOSED_LOOP_DECISIONS = Number(process.env.BENCH_CLOSED_LOOP_DECISIONS ?? 100);
const CONCURRENCY = [1, 10, 50];
// The scenario's daily limit would turn most of these deliveries into rejections; the work is the same either way.
const CONFIG = passingScenario().config!.replace("max_deployments_per_day: 3", "max_deployments_per_day: 100000");

let nextRunId = 1_000_000;

function deliveryFor(apiUrl: string, k: number, installations: number) {
  const installation = k % installations;
  const runId = nextRunId++;
  const owner = `org-${installation}`;
  const repo = `service-${installation}`;
  const payload = deploymentPayload((p) => {
    p.repository.id = 800_000 + installation;
    p.repository.name = repo;
    p.repository.full_name = `${owner}/${repo}`;
    p.repository.owner.login = owner;
    p.installation.id = 10_000 + installation;
    p.deployment_callback_url = `${apiUrl}/repos/${owner}/${repo}/actions/runs/${runId}/deployment_protection_rule`;
  });
  return { runId, payload };
}

async function waitUntil(done: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return true;
}

/** `installations`: DELIVERIES spreads the burst one delivery per installation; fewer makes several land on one installation. */
async function runLevel(
  concurrency: number,
  event: "deployment_protection_rule" | "ignored",
  { deliveries = DELIVERIES, installations = deliveries }: { deliveries?: number; installations?: number } = {},
): Promise<Record<string, string | number>> {
  const github = await startLoopbackGitHub("deployment", { latencyMs: GITHUB_LATENCY_MS });
  github.files.set(".repol/deploy.yaml", CONFIG);
  const repol = await startRepol(github.host);
  const send = (d: ReturnType<typeof deliveryFor>) =>
    event === "ignored" ? repol.deliver("deployment_status", { action: "created", installation: d.payload.installation }) : repol.deliver("deployment_protection_rule", d.payload);
  const decided = (d: ReturnType<typeof deliveryFor>) => github.callbackAt.has(d.runId);
  try {
    // Warm-up: one delivery per installation, so tokens are cached as they would be in a running App.
    const warm = Array.from({ length: installations }, (_, k) => deliveryFor(github.apiUrl, k, installations));
    await sendAll(warm, 10, (d) => repol.deliver("deployment_protection_rule", d.payload));
    await waitUntil(() => warm.every(decided), 120_000);
    // GitHub asks for writes a second apart per installation; let the warm-up's pass.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    github.resetCounts();
    const rss = trackPeakRss();

    // Open loop: senders post as fast as repol answers; decisions catch up behind the intake.
    const burst = Array.from({ length: deliveries }, (_, k) => deliveryFor(github.apiUrl, k, installations));
    const intake: number[] = [];
    const statuses = new Map<number, number>();
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    let lastAnswer = started;
    await sendAll(burst, concurrency, async (d) => {
      const t0 = performance.now();
      const status = await send(d);
      lastAnswer = performance.now();
      intake.push(lastAnswer - t0);
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    });
    const complete = event === "ignored" || (await waitUntil(() => burst.every(decided), 180_000));
    const lastDecision = Math.max(...burst.map((d) => github.callbackAt.get(d.runId) ?? 0));
    const cpu = process.cpuUsage(cpuBefore);
    const calls = github.totalRequests() / deliveries;

    // Closed loop: each sender waits for its decision (the callback reaching GitHub) before the next.
    const latency: number[] = [];
    if (event !== "ignored") {
      const rounds = Array.from({ length: Math.max(4, Math.ceil(CLOSED_LOOP_DECISIONS / concurrency)) * concurrency }, (_, k) => deliveryFor(github.apiUrl, k, installations));
      await sendAll(rounds, concurrency, async (d) => {
        const t0 = performance.now();
        await send(d);
        if (await waitUntil(() => decided(d), 60_000)) latency.push(github.callbackAt.get(d.runId)! - t0);
      });
    }
    const peak = rss.stop();
    const i = summarize(intake);
    const e = summarize(latency);
    return {
      deliveries: `${deliveries} × ${event === "ignored" ? "ignored event" : `deployment, ${deliveries / installations}/installation`}`,
      senders: concurrency,
      answers: [...statuses].map(([status, n]) => `${n}×${status}`).join(" "),
      "accepted/s": Math.round(deliveries / ((lastAnswer - started) / 1000)),
      "intake p50 ms": ms(i.median),
      "intake p99 ms": ms(i.p99),
      "decided/s (open loop)": event === "ignored" ? "-" : Math.round(deliveries / ((lastDecision - started) / 1000)),
      "decision p50 ms (closed loop)": event === "ignored" ? "-" : ms(e.median),
      "decision p99 ms (closed loop)": event === "ignored" ? "-" : ms(e.p99),
      "REST calls/delivery": event === "ignored" ? "-" : calls.toFixed(1),
      "CPU ms/delivery": ((cpu.user + cpu.system) / 1000 / deliveries).toFixed(1),
      "peak RSS MiB": mib(peak),
      ...(complete ? {} : { note: "INCOMPLETE" }),
    };
  } finally {
    await repol.close();
    await github.close();
  }
}

async function sendAll<T>(items: T[], concurrency: number, send: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await send(items[next++]!);
    }),
  );
}

export async function benchWebhookLoad(): Promise<void> {
  const rows: Record<string, string | number>[] = [];
  for (const concurrency of CONCURRENCY) rows.push(await runLevel(concurrency, "deployment_protection_rule"));
  // Several deliveries for one installation within a second: its writes are paced (GitHub's rule).
  rows.push(await runLevel(50, "deployment_protection_rule", { installations: DELIVERIES / 3 }));
  rows.push(await runLevel(50, "deployment_protection_rule", { deliveries: BIG_BURST }));
  rows.push(await runLevel(50, "ignored"));
  printTable(
    `Webhook load: a burst of signed deliveries per row (open loop), then >= ${CLOSED_LOOP_DECISIONS} closed-loop decisions; one repository per installation, one warm-up delivery per installation first; ` +
      `GitHub on 127.0.0.1 with ${GITHUB_LATENCY_MS} ms added latency; SQLite audit store; CPU time and RSS are the whole bench process (repol, fake GitHub and senders)`,
    rows,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) await benchWebhookLoad();
