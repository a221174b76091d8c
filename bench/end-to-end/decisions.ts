// Decisions end to end: a burst of signed deliveries, one per installation, posted by 50 senders as
// fast as repol accepts them; a decision counts when its verdict reaches the fake GitHub (the
// deployment callback, or our check run completed). Throughput is decisions ÷ (first POST → last
// verdict); CPU is the repol process's own (user + system, /proc) over the burst, per decision.
import { performance } from "node:perf_hooks";
import { checkRunKey, deploymentDelivery, pullRequestDelivery } from "../lib/bench-deliveries.js";
import { profileClock, type ProfileWindow } from "../lib/cpu-profile.js";
import { cpuMsOf } from "../lib/proc-stats.js";
import { count, type Figure } from "../lib/results.js";
import { ms, summarize } from "../lib/stats.js";
import { inParallel, type Delivery } from "../lib/webhook-sender.js";
import { ANSWER_TIMEOUT_MS, callsUntilQuiet, SENDERS, sum, writePacing, type Rig } from "./rig.js";

interface Burst {
  deliveries: { delivery: Delivery; key: string }[];
  /** The verdict of an allowed decision: "approved" or "success". */
  allowed: string;
}

interface BurstResult {
  decided: number;
  expected: number;
  perSecond: number;
  cpuMsPerDecision: number;
  /** The fake GitHub's CPU per decision: on two shared cores, what it spends repol cannot. */
  githubCpuMsPerDecision: number;
  callsPerDecision: number;
  /** Verdicts other than the allowed one, with one reason, e.g. "3 rejected (tests failed…)". */
  notAllowed: string | null;
  seconds: number;
  /** Median time from the fake GitHub answering the facts query to the verdict reaching it. */
  factsToVerdictMs: number;
  /** First POST → every verdict in, on the CPU profile's clock. */
  window: { fromUs: number; toUs: number };
}

const now = () => performance.timeOrigin + performance.now();

async function runBurst(rig: Rig, burst: Burst): Promise<BurstResult> {
  await writePacing();
  await callsUntilQuiet(rig.github, 200);
  const watch = rig.github.expectAnswers(
    burst.deliveries.map((d) => d.key),
    ANSWER_TIMEOUT_MS,
  );
  const cpuBefore = cpuMsOf(rig.repol.pid);
  const githubCpuBefore = cpuMsOf(rig.github.pid);
  const started = now();
  const fromUs = profileClock();
  await inParallel(burst.deliveries, SENDERS, (d) => rig.deliver(d.delivery));
  const { answers } = await watch.done;
  const toUs = profileClock();
  const calls = await callsUntilQuiet(rig.github);
  const cpuMs = cpuMsOf(rig.repol.pid) - cpuBefore;
  const githubCpuMs = cpuMsOf(rig.github.pid) - githubCpuBefore;
  const seconds = ((answers.length > 0 ? Math.max(...answers.map((a) => a.at)) : now()) - started) / 1000;
  const others = answers.filter((a) => a.verdict !== burst.allowed);
  return {
    decided: answers.length,
    expected: burst.deliveries.length,
    perSecond: answers.length / seconds,
    cpuMsPerDecision: cpuMs / Math.max(answers.length, 1),
    githubCpuMsPerDecision: githubCpuMs / Math.max(answers.length, 1),
    callsPerDecision: sum(calls) / Math.max(answers.length, 1),
    notAllowed: others.length === 0 ? null : `${others.length} ${others[0]!.verdict} (${(others[0]!.why ?? "").split("\n")[0]!.slice(0, 160)})`,
    seconds,
    factsToVerdictMs: summarize(answers.flatMap((a) => (a.afterFactsMs === undefined ? [] : [a.afterFactsMs]))).median,
    window: { fromUs, toUs },
  };
}

const indexes = (n: number) => Array.from({ length: n }, (_, i) => i);
const deployments = (rig: Rig, n: number): Burst => ({
  allowed: "approved",
  deliveries: indexes(n).map((i) => {
    const runId = rig.nextRunId();
    return { delivery: deploymentDelivery(i, runId, rig.apiUrl, rig.repol.webhookSecret), key: String(runId) };
  }),
});
const pullRequests = (rig: Rig, n: number, kind: "opened" | "review"): Burst => ({
  allowed: "success",
  deliveries: indexes(n).map((i) => ({ delivery: pullRequestDelivery(kind, i, rig.repol.webhookSecret), key: checkRunKey(i) })),
});

function describe(result: BurstResult): string {
  const incomplete = result.decided < result.expected ? `, INCOMPLETE: ${result.decided} of ${count(result.expected)} decided` : "";
  const denied = result.notAllowed ? `, NOT ALLOWED: ${result.notAllowed}` : "";
  return `${count(result.perSecond)}/s (${count(result.expected)} in ${result.seconds.toFixed(1)} s, ${result.callsPerDecision.toFixed(1)} GitHub calls each, fake GitHub ${result.githubCpuMsPerDecision.toFixed(1)} ms CPU each, facts → verdict median ${ms(result.factsToVerdictMs)} ms${incomplete}${denied})`;
}

/** One deployment per installation, then a pull request opened on the first `decisions` of them. */
export async function warmUp(rig: Rig, decisions: number): Promise<string[]> {
  const deploy = await runBurst(rig, deployments(rig, rig.installations));
  const opened = await runBurst(rig, pullRequests(rig, decisions, "opened"));
  return [
    `Warm-up (cold: each installation's first event since repol started):`,
    `  deployments, one per installation:   ${describe(deploy)}, ${deploy.cpuMsPerDecision.toFixed(1)} ms CPU each`,
    `  pull_request.opened, one per installation: ${describe(opened)}, ${opened.cpuMsPerDecision.toFixed(1)} ms CPU each`,
  ];
}

export async function measureDecisions(rig: Rig, decisions: number): Promise<{ figures: Figure[]; windows: ProfileWindow[] }> {
  const deploy = await runBurst(rig, deployments(rig, decisions));
  const review = await runBurst(rig, pullRequests(rig, decisions, "review"));
  const ok = (r: BurstResult) => r.decided === r.expected && r.notAllowed === null;
  const windows = [
    { name: `burst of ${count(decisions)} deployments`, ...deploy.window },
    { name: `burst of ${count(decisions)} reviews submitted`, ...review.window },
  ];
  const figures = [
    { figure: "Deployment decisions/s end to end (warm)", goal: "≥ 250/s", result: describe(deploy), met: ok(deploy) && deploy.perSecond >= 250 },
    {
      figure: "CPU per deployment decision (repol process)",
      goal: "≈ 4 ms",
      result: `${deploy.cpuMsPerDecision.toFixed(1)} ms`,
      met: deploy.cpuMsPerDecision <= 4,
    },
    {
      figure: "Pull request decisions/s end to end (review submitted, warm)",
      goal: "≥ 250/s",
      result: describe(review),
      met: ok(review) && review.perSecond >= 250,
    },
    {
      figure: "CPU per pull request decision (repol process)",
      goal: "≈ 4 ms",
      result: `${review.cpuMsPerDecision.toFixed(1)} ms`,
      met: review.cpuMsPerDecision <= 4,
    },
  ];
  return { figures, windows };
}
