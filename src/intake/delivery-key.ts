// Which deliveries must not run at the same time: those about the same deployment environment, pull
// request or commit. Two reviews at once, or a re-run during a push, then run one after the other.

type Payload = {
  repository?: { full_name?: unknown } | null;
  deployment_callback_url?: unknown;
  deployment?: { sha?: unknown } | null;
  environment?: unknown;
  pull_request?: { number?: unknown } | null;
  check_run?: { head_sha?: unknown } | null;
  check_suite?: { head_sha?: unknown } | null;
};

export function deliveryKey(event: string, payload: unknown, deliveryId: string): string {
  const p = (payload ?? {}) as Payload;
  const repo = typeof p.repository?.full_name === "string" ? p.repository.full_name.toLowerCase() : null;
  if (repo === null) return `delivery:${deliveryId}`;
  if (event === "deployment_protection_rule") {
    // By environment, not by run: two runs deploying to one environment at once must be counted one
    // after the other, or both could slip under max_deployments_per_day.
    if (typeof p.environment === "string" && p.environment !== "") return `${repo}#env:${p.environment.toLowerCase()}`;
    const run = typeof p.deployment_callback_url === "string" ? /\/actions\/runs\/(\d+)\//.exec(p.deployment_callback_url)?.[1] : undefined;
    if (run) return `${repo}#run:${run}`;
  }
  if (typeof p.pull_request?.number === "number") return `${repo}#pr:${p.pull_request.number}`;
  const headSha = p.check_run?.head_sha ?? p.check_suite?.head_sha;
  if (typeof headSha === "string") return `${repo}@${headSha}`;
  return `delivery:${deliveryId}`;
}
