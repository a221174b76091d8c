// GitHub calls per event, counted by the fake GitHub as every HTTP request it answers (304s and extra
// pages included): cold is the first event of an installation since repol started (token and
// `.repol` file fetched), warm the same event again at once. Each event runs alone, so every call
// counted is its own.
import { checkRunKey, deploymentDelivery, pullRequestDelivery } from "../lib/bench-deliveries.js";
import type { Delivery } from "../lib/webhook-sender.js";
import type { Figure } from "../lib/results.js";
import { ANSWER_TIMEOUT_MS, callsUntilQuiet, sum, type Rig } from "./rig.js";

interface EventKind {
  name: string;
  figure: string;
  /** Installation used (never touched before this phase), and the event sent to it. */
  index: number;
  delivery(rig: Rig, index: number, runId: number): { delivery: Delivery; key: string };
  allowed: string;
}

const EVENTS: EventKind[] = [
  {
    name: "deployment_protection_rule.requested",
    figure: "GitHub calls per deployment decision, cold / warm",
    index: 0,
    delivery: (rig, index, runId) => ({ delivery: deploymentDelivery(index, runId, rig.apiUrl, rig.repol.webhookSecret), key: String(runId) }),
    allowed: "approved",
  },
  {
    name: "pull_request.opened",
    figure: "GitHub calls per pull_request event, cold / warm",
    index: 1,
    delivery: (rig, index) => ({ delivery: pullRequestDelivery("opened", index, rig.repol.webhookSecret), key: checkRunKey(index) }),
    allowed: "success",
  },
  {
    name: "pull_request_review.submitted",
    figure: "GitHub calls per pull_request_review event, cold / warm",
    index: 2,
    delivery: (rig, index) => ({ delivery: pullRequestDelivery("review", index, rig.repol.webhookSecret), key: checkRunKey(index) }),
    allowed: "success",
  },
];

export const CALLS_PHASE_INSTALLATIONS = EVENTS.length;

async function callsOfOne(rig: Rig, event: EventKind): Promise<{ calls: Record<string, number>; verdict: string }> {
  await callsUntilQuiet(rig.github, 200);
  const { delivery, key } = event.delivery(rig, event.index, rig.nextRunId());
  const watch = rig.github.expectAnswers([key], ANSWER_TIMEOUT_MS);
  await rig.deliver(delivery);
  const { answers, missing } = await watch.done;
  if (missing.length > 0) throw new Error(`no verdict for ${event.name} reached GitHub; repol's log ends with:\n${rig.repol.logTail()}`);
  const answer = answers[0]!;
  const verdict = answer.verdict === event.allowed ? answer.verdict : `${answer.verdict}: ${answer.why ?? "no reason given"}`;
  return { calls: await callsUntilQuiet(rig.github), verdict };
}

const byRoute = (calls: Record<string, number>) =>
  Object.entries(calls)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([route, n]) => `      ${String(n).padStart(3)}  ${route}`);

export async function measureCallsPerEvent(rig: Rig): Promise<{ figures: Figure[]; details: string[] }> {
  const figures: Figure[] = [];
  const details = ["GitHub calls per event, by route (every request the fake GitHub answered for the event):"];
  for (const event of EVENTS) {
    const cold = await callsOfOne(rig, event);
    const warm = await callsOfOne(rig, event);
    const [c, w] = [sum(cold.calls), sum(warm.calls)];
    const verdicts = [...new Set([cold.verdict, warm.verdict])].join("; ");
    figures.push({
      figure: event.figure,
      goal: "≤ 4 / ≤ 2",
      result: `${c} / ${w}${verdicts === event.allowed ? "" : ` (verdict ${verdicts})`}`,
      met: c <= 4 && w <= 2,
      calls: true,
    });
    details.push(`  ${event.name} (verdict: ${verdicts})`, `    cold, ${c} calls:`, ...byRoute(cold.calls), `    warm, ${w} calls:`, ...byRoute(warm.calls));
  }
  return { figures, details };
}
