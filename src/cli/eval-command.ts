// repol eval deploy|pullrequest --input input.json [--config .repol/deploy.yaml] [--rules <checkout>] [--format text|json]
import { readFileSync } from "node:fs";
import { relative, resolve } from "node:path";
import { evaluateInput } from "../core/evaluate-input.js";
import { isPolicyName, POLICY_NAMES, type PolicyName } from "../domain/policy-name.js";
import { parseRepoConfig, renderConfigErrors } from "../policy/load-repo-config.js";
import { EXIT, formatOf, parseCommandLine, UsageError, type CliIo, type ExitCode } from "./cli-io.js";
import { customRulesBlock, evaluateCheckoutRules, renderCustomRules, rulesCheckout } from "./checkout-rules.js";
import { loadBundle, policyBundlePath } from "./policy-bundle.js";
import { isPlainObject, readJsonFile } from "./read-json-file.js";
import { renderVerdict } from "./render-decision.js";

const OPTIONS = {
  input: { type: "string", short: "i" },
  config: { type: "string", short: "c" },
  format: { type: "string" },
  bundle: { type: "string" },
  rules: { type: "string" },
} as const;

export async function evalCommand(args: string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseCommandLine(args, OPTIONS);
  const [policy, ...extra] = positionals;
  if (!isPolicyName(policy)) throw new UsageError(`eval needs a policy: ${POLICY_NAMES.join(" or ")}`);
  if (extra.length > 0) throw new UsageError(`unexpected argument ${extra[0]}`);
  if (!values.input) throw new UsageError("eval needs --input <file.json> (or --input - for standard input)");
  const format = formatOf(values.format);

  const input = readJsonFile(values.input, io.cwd, "input");
  if (!isPlainObject(input)) throw new UsageError(`input ${values.input} must hold a JSON object, the policy input document`);
  if (values.config) {
    const config = readConfig(policy, values.config, io);
    if (!config.ok) {
      io.out(renderConfigErrors(config.errors));
      return EXIT.failed;
    }
    input.repo_policy = config.config;
  }

  const engine = await loadBundle(policyBundlePath(values.bundle, io.env, io.cwd));
  const { result, outcome, error } = evaluateInput(engine, policy, input);
  if (!result) {
    // No decision is not an allow.
    io.err(`evaluation of ${policy} failed: ${error}`);
    return EXIT.failed;
  }
  const checkout = rulesCheckout(values.rules, io.cwd);
  const custom = checkout === undefined ? undefined : await evaluateCheckoutRules(policy, checkout, input);
  if (format === "json") {
    io.out(
      JSON.stringify(
        { policy, allow: result.allow, deny: result.deny, violations: result.violations, warnings: result.warnings, ...(custom ? { custom } : {}) },
        null,
        2,
      ),
    );
  } else {
    for (const line of renderVerdict(policy, outcome, result.violations, null, result.warnings)) io.out(line);
    if (custom) for (const line of renderCustomRules(custom)) io.out(line);
  }
  return result.allow && !(custom && customRulesBlock(custom)) ? EXIT.ok : EXIT.failed;
}

function readConfig(policy: PolicyName, path: string, io: CliIo) {
  const full = resolve(io.cwd, path);
  let bytes: Buffer;
  try {
    bytes = readFileSync(full);
  } catch (error) {
    throw new UsageError(`cannot read config ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const shown = relative(io.cwd, full).startsWith("..") ? full : relative(io.cwd, full);
  return parseRepoConfig(policy, bytes, shown);
}
