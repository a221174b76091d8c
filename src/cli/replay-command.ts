// repol replay <webhook.json> --event <name> --facts <facts.json> [--config <file>] [--now <ISO>]
// Runs a saved webhook through the same decision code the App runs, against recorded GitHub facts.
// repol replay --audit-id <id> replays a recorded decision from the audit store instead.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { registry } from "../handlers/index.js";
import { handlerFor } from "../handlers/registry.js";
import type { PolicyName } from "../domain/policy-name.js";
import { CONFIG_PATHS } from "../policy/load-repo-config.js";
import { githubApiUrlFrom } from "../settings.js";
import { EXIT, formatOf, parseCommandLine, UsageError, type CliIo, type ExitCode } from "./cli-io.js";
import { loadBundle, policyBundlePath } from "./policy-bundle.js";
import { isPlainObject, readJsonFile } from "./read-json-file.js";
import { readRecordedFacts, recordedFacts } from "./recorded-facts.js";
import { replayAuditRecord } from "./replay-audit-record.js";
import { renderVerdict } from "./render-decision.js";
import { replayDeployment } from "./replay-deployment.js";
import { replayPullRequest } from "./replay-pull-request.js";
import type { ReplayResult } from "./replay-result.js";

// A re-run (check_run, check_suite) reads its pull request from GitHub again, so it is not replayed.
const POLICY_OF_EVENT: Readonly<Record<string, PolicyName>> = {
  deployment_protection_rule: "deploy",
  pull_request: "pullrequest",
  pull_request_review: "pullrequest",
};

const OPTIONS = {
  event: { type: "string", short: "e" },
  facts: { type: "string", short: "f" },
  config: { type: "string", short: "c" },
  now: { type: "string" },
  format: { type: "string" },
  bundle: { type: "string" },
  "audit-id": { type: "string" },
} as const;

export async function replayCommand(args: string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseCommandLine(args, OPTIONS);
  const format = formatOf(values.format);
  const auditId = values["audit-id"];
  if (auditId !== undefined) {
    if (positionals.length > 0 || values.facts || values.event || values.config || values.now) {
      throw new UsageError("--audit-id replays a stored decision on its stored input; it takes no webhook, --event, --facts, --config or --now");
    }
    return replayAuditRecord(auditId, policyBundlePath(values.bundle, io.env, io.cwd), format, io);
  }
  if (positionals.length !== 1) throw new UsageError("replay takes one saved webhook file (or --audit-id <id>)");
  const { event, payload } = readDelivery(readJsonFile(positionals[0]!, io.cwd, "webhook"), values.event, positionals[0]!);
  const action = typeof payload.action === "string" ? payload.action : undefined;
  if (!handlerFor(registry, event, action)) {
    throw new UsageError(`repol does not answer ${event}${action ? `.${action}` : ""} deliveries; nothing to replay`);
  }
  const policy = POLICY_OF_EVENT[event];
  if (!policy) {
    throw new UsageError(`cannot replay ${event}: a re-run reads the pull request from GitHub again; replay that pull request's pull_request delivery instead`);
  }
  if (!values.facts) throw new UsageError("replay needs --facts <facts.json>, the recorded GitHub answers");
  const now = values.now ? parseNow(values.now) : new Date();

  const recording = readRecordedFacts(readJsonFile(values.facts, io.cwd, "facts"), values.facts);
  const files = values.config ? { [CONFIG_PATHS[policy]]: { text: readLocalConfig(values.config, io.cwd), shownAs: values.config } } : {};
  const facts = recordedFacts(recording, { files });
  const engine = await loadBundle(policyBundlePath(values.bundle, io.env, io.cwd));
  const result: ReplayResult =
    policy === "deploy"
      ? await replayDeployment({ payload, facts, engine, githubApiUrl: githubApiUrlFrom(io.env), now })
      : await replayPullRequest(event, payload, facts, engine);

  if (format === "json") {
    const { event: name, outcome, violations, warnings, error, configSha, input, details } = result;
    io.out(JSON.stringify({ event: name, ...details, decision: outcome, violations, warnings, error, config_sha: configSha, input }, null, 2));
  } else {
    io.out(result.headline);
    for (const line of renderVerdict(result.policy, result.outcome, result.violations, result.error, result.warnings)) io.out(line);
    for (const note of result.notes) io.out(note);
  }
  return result.outcome === "allow" ? EXIT.ok : EXIT.failed;
}

/** A bare payload, or a saved delivery `{ headers, payload }` / `{ event, payload }`. */
function readDelivery(file: unknown, eventFlag: string | undefined, source: string): { event: string; payload: Record<string, unknown> } {
  if (!isPlainObject(file)) throw new UsageError(`webhook ${source} must hold a JSON object`);
  const wrapped = isPlainObject(file.payload) && (isPlainObject(file.headers) || typeof file.event === "string");
  const payload = wrapped ? (file.payload as Record<string, unknown>) : file;
  const headers = wrapped && isPlainObject(file.headers) ? file.headers : {};
  const recorded = headers["x-github-event"] ?? headers["X-GitHub-Event"] ?? (wrapped ? file.event : undefined);
  const event = eventFlag ?? (typeof recorded === "string" ? recorded : undefined);
  if (!event) throw new UsageError("give the webhook's event name with --event (e.g. --event deployment_protection_rule)");
  return { event, payload };
}

function readLocalConfig(path: string, cwd: string): string {
  try {
    return readFileSync(resolve(cwd, path), "utf8");
  } catch (error) {
    throw new UsageError(`cannot read config ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

function parseNow(value: string): Date {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new UsageError(`--now must be an ISO 8601 time such as 2025-01-31T12:00:00Z, got "${value}"`);
  return date;
}
