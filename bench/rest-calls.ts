// GitHub REST calls per event, counted by a GitHub on 127.0.0.1: the first event of an installation
// (cold: token and config fetched), the same event again at once (warm: the config cache answers),
// and again after the cache's freshness window (the config revalidated with a free 304).
// Run: node --import tsx bench/rest-calls.ts
import { FRESH_MS } from "../src/github/config-cache.js";
import { deploymentPayload, passingScenario } from "../test/helpers/deployment-scenario.js";
import { policyYaml, webhook } from "../test/helpers/pull-request-scenario.js";
import { startLoopbackGitHub, type Flavour, type LoopbackGitHub } from "./lib/loopback-github.js";
import { startRepol, type RepolInstance } from "./lib/repol-instance.js";
import { printTable } from "./lib/stats.js";

interface EventKind {
  name: string;
  flavour: Flavour;
  config: [string, string];
  send(repol: RepolInstance, github: LoopbackGitHub, round: number, id: string): Promise<void>;
}

const events: EventKind[] = [
  {
    name: "deployment_protection_rule.requested",
    flavour: "deployment",
    config: [".repol/deploy.yaml", passingScenario().config!.replace("max_deployments_per_day: 3", "max_deployments_per_day: 1000")],
    async send(repol, github, round, id) {
      const runId = 42_000 + round;
      await repol.deliver("deployment_protection_rule", deploymentPayload((p) => {
        p.deployment_callback_url = `${github.apiUrl}/repos/acme/widgets/actions/runs/${runId}/deployment_protection_rule`;
      }), id);
    },
  },
  {
    name: "pull_request.opened",
    flavour: "pull_request",
    config: [".repol/pullrequest.yaml", policyYaml({ approvals_required: 1, signed_off: true })],
    send: async (repol, _github, _round, id) => void (await repol.deliver("pull_request", webhook("pull_request.opened"), id)),
  },
  {
    name: "pull_request_review.submitted",
    flavour: "pull_request",
    config: [".repol/pullrequest.yaml", policyYaml({ approvals_required: 1, signed_off: true })],
    send: async (repol, _github, _round, id) => void (await repol.deliver("pull_request_review", webhook("pull_request_review.submitted.approved"), id)),
  },
];

/** Waits until the delivery's verdict has reached GitHub (writes are paced a second apart per installation). */
async function finished(repol: RepolInstance, id: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const row = await repol.store.findByDelivery(id);
    if (row?.effect.ok) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`delivery ${id} was not decided and answered within 30 s`);
}

/** Waits until GitHub has seen no request for `quietMs`. */
async function settle(github: LoopbackGitHub, quietMs = 300): Promise<void> {
  let seen = -1;
  while (seen !== github.totalRequests()) {
    seen = github.totalRequests();
    await new Promise((resolve) => setTimeout(resolve, quietMs));
  }
}

function breakdown(counts: Map<string, number>): string {
  return [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([route, n]) => (n === 1 ? route : `${route}×${n}`)).join(", ");
}

export async function benchRestCalls(): Promise<void> {
  const rows: Record<string, string | number>[] = [];
  const details: string[] = [];
  for (const event of events) {
    const github = await startLoopbackGitHub(event.flavour);
    github.files.set(...event.config);
    const repol = await startRepol(github.host);
    try {
      const measure = async (round: number) => {
        github.resetCounts();
        const id = `${event.name}-${round}`;
        await event.send(repol, github, round, id);
        await finished(repol, id);
        await settle(github);
        return { total: github.totalRequests(), config: (github.counts.get("config-file") ?? 0) + (github.counts.get("config-file:304") ?? 0), counts: new Map(github.counts) };
      };
      const cold = await measure(1);
      const warm = await measure(2);
      await new Promise((resolve) => setTimeout(resolve, FRESH_MS + 200));
      const later = await measure(3);
      rows.push({
        event: event.name,
        "cold calls": cold.total,
        "warm calls": warm.total,
        [`after ${FRESH_MS / 1000} s`]: later.total,
        "config calls cold/warm/after": `${cold.config}/${warm.config}/${later.config}${later.counts.has("config-file:304") ? " (304)" : ""}`,
      });
      details.push(`  ${event.name}\n    cold:  ${breakdown(cold.counts)}\n    warm:  ${breakdown(warm.counts)}\n    after: ${breakdown(later.counts)}`);
    } finally {
      await repol.close();
      await github.close();
    }
  }
  printTable("GitHub REST calls per event (one installation, one repository; warm = the same event again at once)", rows);
  console.log(`\n  calls by route:\n${details.join("\n")}`);
}

if (import.meta.url === `file://${process.argv[1]}`) await benchRestCalls();
