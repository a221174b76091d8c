// Durable intake: 50 senders post signed deliveries over keep-alive connections as fast as they are
// answered, for a few seconds, to repol and to a naive durable receiver (HMAC check + one
// synchronous=FULL commit per request, its own process), alternating rounds so both see the same
// machine. A 2xx from repol means the delivery is stored (src/intake/webhook-intake.ts).
// The delivery is a title-only pull_request.edited: stored and acknowledged like any other, then
// dropped by its handler, so the figure is the intake's and no GitHub work competes with it.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pullRequestDelivery } from "../lib/bench-deliveries.js";
import { forkChildServer } from "../lib/child-server.js";
import { profileClock, type ProfileWindow } from "../lib/cpu-profile.js";
import { count, type Figure } from "../lib/results.js";
import { ms, percentile } from "../lib/stats.js";
import { forDuration, webhookSender, type Sent, type WebhookSender } from "../lib/webhook-sender.js";
import { SENDERS, WEBHOOK_PATH, type Rig } from "./rig.js";

const SECONDS = Number(process.env.BENCH_INTAKE_SECONDS ?? 4);
const ROUNDS = Number(process.env.BENCH_INTAKE_ROUNDS ?? 3);

const isStored = (status: number) => status >= 200 && status <= 299;

interface Round {
  perSecond: number;
  latencies: number[];
  statuses: Map<number, number>;
}

async function round(sender: WebhookSender, delivery: Parameters<WebhookSender["post"]>[0]): Promise<Round> {
  const { results, elapsedMs } = await forDuration<Sent>(SECONDS, SENDERS, () => sender.post(delivery));
  const statuses = new Map<number, number>();
  for (const { status } of results) statuses.set(status, (statuses.get(status) ?? 0) + 1);
  const stored = results.filter(({ status }) => isStored(status)).length;
  return { perSecond: stored / (elapsedMs / 1000), latencies: results.map((r) => r.ms), statuses };
}

function summary(rounds: Round[]) {
  const rates = rounds.map((r) => r.perSecond).sort((a, b) => a - b);
  const latencies = rounds.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const refused = rounds.flatMap((r) => [...r.statuses].filter(([status]) => !isStored(status)));
  return {
    perSecond: percentile(rates, 50),
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    refused: refused.length === 0 ? "" : `; not stored: ${refused.map(([status, n]) => `${n}×${status}`).join(", ")}`,
  };
}

/** `synchronous`: the level repol's SQLite store commits with, named in the figure. */
export async function measureIntake(rig: Rig, synchronous: string): Promise<{ figures: Figure[]; details: string[]; windows: ProfileWindow[] }> {
  const delivery = pullRequestDelivery("edited", 0, rig.repol.webhookSecret);
  const dir = mkdtempSync(join(tmpdir(), "naive-receiver-"));
  const naive = await forkChildServer(new URL("../lib/naive-receiver.ts", import.meta.url), {
    BENCH_NAIVE_SECRET: rig.repol.webhookSecret,
    BENCH_NAIVE_DB: join(dir, "deliveries.db"),
  });
  const naiveSender = webhookSender(`http://127.0.0.1:${naive.port}`, WEBHOOK_PATH, SENDERS);
  const repolRounds: Round[] = [];
  const naiveRounds: Round[] = [];
  const windows: ProfileWindow[] = [];
  try {
    for (let i = 0; i < ROUNDS; i++) {
      naiveRounds.push(await round(naiveSender, delivery));
      const fromUs = profileClock();
      repolRounds.push(await round(rig.sender, delivery));
      // The last round only: the first ones share the profile with whatever the warm-up left running.
      if (i === ROUNDS - 1) windows.push({ name: `intake, last round (${SECONDS} s of durable intake)`, fromUs, toUs: profileClock() });
    }
  } finally {
    naiveSender.close();
    await naive.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  const repol = summary(repolRounds);
  const base = summary(naiveRounds);
  const ratio = repol.perSecond / base.perSecond;
  const what = `${SENDERS} senders, ${ROUNDS} × ${SECONDS} s rounds, median round`;
  return {
    figures: [
      {
        figure: `Durable intake: deliveries stored/s (synchronous=${synchronous}; ${what})`,
        goal: "≥ 2,000/s",
        result: `${count(repol.perSecond)}/s${repol.refused}`,
        met: repol.perSecond >= 2000 && !repol.refused,
      },
      {
        figure: "Durable intake latency, POST → answer (p50 / p99)",
        goal: "p99 < 50 ms",
        result: `${ms(repol.p50)} / ${ms(repol.p99)} ms`,
        met: repol.p99 < 50,
      },
      {
        figure: "Durable intake vs a naive durable receiver (same run)",
        goal: "≥ 1.5×",
        result: `${ratio.toFixed(2)}× (naive: ${count(base.perSecond)}/s, p50 ${ms(base.p50)} ms, p99 ${ms(base.p99)} ms${base.refused})`,
        met: ratio >= 1.5,
      },
    ],
    windows,
    details: [
      `Intake rounds (deliveries stored/s), alternating: ${naiveRounds.map((r, i) => `naive ${count(r.perSecond)}, repol ${count(repolRounds[i]!.perSecond)}`).join("; ")}`,
    ],
  };
}
