// Seeded random policy inputs covering the input contract of github.deploy and github.pullrequest
// adversarially: every field present, missing, null or of the wrong type; environment names in
// other cases and scripts; branch lists with every glob and regex character; refs with and without
// refs/heads/; numbers at the edges of what JSON and the two engines represent; unicode, NUL and
// lone surrogates; extra keys. Inputs the config loader would refuse are produced too: the policy
// must judge whatever it is given.
import { nameFor, randomPattern, type Random } from "./branch-pattern-generator.js";
import { withScheduleFacts } from "./schedule-input-generator.js";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Maker = (random: Random) => Json;

const NUMBERS: Json[] = [0, 1, 2, 3, 5, 100, -1, -0.5, 0.1, 1.5, 1e-7, 1e21, 1e30, 2 ** 53, 2 ** 53 + 2, 1.7976931348623157e308, 5e-324, "2", true, null];
const WRONG: Json[] = [null, true, 0, "", "x", [], {}, [1], { a: 1 }];
const ENVIRONMENTS = [
  "production",
  "Production",
  "PRODUCTION",
  "prodUCTION",
  "staging",
  "prod\ud800",
  "prod\udc00",
  " production",
  "\u2c2f",
  "\u2c5f",
  "\ud801\udd70",
  "\ud801\udd97",
  "İstanbul",
  "istanbul",
  "ǅ",
  "ǆ",
  "ß",
  "ẞ",
  "ﬀ",
  "Ａ",
  "ａ",
  "e\u0301",
  "é",
  "",
];
// A copy: inputs are edited after they are made, and must not share objects.
const wrongValue = (random: Random): Json => structuredClone(random.pick(WRONG));
const LOGINS = ["alice", "bob", "carol", "Alice", "alice", "é", "dependabot[bot]"];

const from =
  (items: readonly Json[]): Maker =>
  (random) =>
    random.pick(items);
const maybe = (random: Random, make: Maker, wrong = 0.1): Json => (random.chance(wrong) ? wrongValue(random) : make(random));
const listOf = (random: Random, make: Maker, max: number): Json[] => Array.from({ length: random.int(max + 1) }, () => make(random));

/** An object with each optional field kept with probability `keep`, plus sometimes an unknown key. */
function fields(random: Random, makers: Record<string, Maker>, keep = 0.7): { [key: string]: Json } {
  const out: { [key: string]: Json } = {};
  for (const [key, make] of Object.entries(makers)) if (random.chance(keep)) put(out, key, make(random));
  if (random.chance(0.1)) put(out, random.pick(["extra", "__proto__", "Rules", "enabled "]), wrongValue(random));
  return out;
}

/** The object at `path` inside `value`, if every step is an object. */
function objectAt(value: Json, ...path: string[]): { [key: string]: Json } | undefined {
  let current: Json | undefined = value;
  for (const key of path) current = isObject(current) ? current[key] : undefined;
  return isObject(current) ? current : undefined;
}

const isObject = (value: Json | undefined): value is { [key: string]: Json } => typeof value === "object" && value !== null && !Array.isArray(value);

// defineProperty, so that a key named __proto__ is a key like any other.
function put(object: { [key: string]: Json }, key: string, value: Json): void {
  Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
}

const patternList: Maker = (random) => (random.chance(0.15) ? random.pick([null, [], ["main"]]) : listOf(random, randomPattern, 4));

function workflowMeta(random: Random): Json {
  return fields(random, {
    approvers: (r) => maybe(r, (rr) => listOf(rr, (x) => maybe(x, from(LOGINS), 0.1), 4)),
    checks: (r) => maybe(r, (rr) => fields(rr, { tests: from([true, false, "true", null]) })),
    signed_off: from([true, false, "yes", null]),
    deployments_today: from(NUMBERS),
  });
}

function deployRules(random: Random): Json {
  return fields(
    random,
    {
      approvals_required: from(NUMBERS),
      allowed_branches: (r) => maybe(r, patternList),
      tests_passed: from([true, false, "true", null]),
      required_checks: (r) => maybe(r, (rr) => listOf(rr, from(["ci", "lint", 1]), 3)),
      signed_off: from([true, false, null, 1]),
      max_deployments_per_day: from(NUMBERS),
    },
    0.5,
  );
}

function environments(random: Random): Json {
  const out: { [key: string]: Json } = {};
  for (let i = 0; i <= random.int(3); i++) {
    put(
      out,
      random.pick(ENVIRONMENTS),
      maybe(random, (r) => fields(r, { enabled: from([true, false, "no", null]), rules: (rr) => maybe(rr, deployRules) }, 0.8)),
    );
  }
  return out;
}

const version = from([1, "1.0.0", "1.0", "1", 2, "2.0", null, 1.5]);
const metadata: Maker = (random) => maybe(random, (r) => fields(r, { description: from(["x", 1]), last_updated: from(["2024-01-01", null]) }));

/** The policy a test might wrap in repo_policy: usually an object, sometimes a wrong shape. */
function repoPolicy(random: Random, policy: Maker): Json {
  const roll = random.next();
  if (roll < 0.05) return wrongValue(random);
  if (roll < 0.1) return { policy: wrongValue(random) };
  return { policy: policy(random) };
}

function objectInput(random: Random, make: (random: Random) => { [key: string]: Json }): Json {
  if (random.chance(0.04)) return random.pick([null, [], "input", 1, {}]);
  const input = make(random);
  if (random.chance(0.1)) put(input, random.pick(["extra", "Environment", "ref "]), wrongValue(random));
  return input;
}

/** Half the inputs are plausible requests with one field sometimes spoiled, so allow is common too. */
export function deployInput(random: Random): Json {
  return withScheduleFacts(random, random.chance(0.5) ? spoiled(random, plausibleDeploy(random), deployInputs) : deployInputs(random));
}

export function pullRequestInput(random: Random): Json {
  return random.chance(0.5) ? spoiled(random, plausiblePullRequest(random), pullRequestInputs) : pullRequestInputs(random);
}

// Environment key in the policy, and the name the request may use for it (GitHub ignores case).
const CASE_PAIRS: Array<[string, string[]]> = [
  ["production", ["production", "Production", "PRODUCTION"]],
  ["\u2c5f", ["\u2c2f", "\u2c5f"]],
  ["\ud801\udd97", ["\ud801\udd70"]],
  ["Prod\ud800", ["prod\ud800", "PROD\udc00"]],
  ["staging", ["Staging"]],
];

function plausibleDeploy(random: Random): { [key: string]: Json } {
  const pattern = randomPattern(random);
  const [key, names] = random.pick(CASE_PAIRS);
  const rules: { [key: string]: Json } = {
    approvals_required: random.pick([0, 1, 2, 3]),
    allowed_branches: random.chance(0.9) ? [pattern, ...listOf(random, randomPattern, 2)] : null,
    tests_passed: random.chance(0.7),
    signed_off: random.chance(0.5),
  };
  if (random.chance(0.5)) rules.max_deployments_per_day = random.pick([0, 1, 5, 10]);
  return {
    environment: random.pick(names),
    ref: random.chance(0.9) ? `refs/heads/${nameFor(pattern, random)}` : random.pick(["refs/tags/v1.0", nameFor(pattern, random)]),
    repo_environments: ["staging", random.pick([key, ...names])],
    workflow_meta: { approvers: ["alice", "bob"], checks: { tests: true }, signed_off: true, deployments_today: random.pick([1, 5, 6]) },
    repo_policy: {
      policy: {
        version: random.pick([1, "1.0.0"]),
        environments: { [key]: { enabled: random.chance(0.9), rules, enforcement: enforcement(random, DEPLOY_RULES) } },
      },
    },
  };
}

function plausiblePullRequest(random: Random): { [key: string]: Json } {
  const [source, target] = [randomPattern(random), randomPattern(random)];
  return {
    head_ref: nameFor(source, random),
    base_ref: nameFor(target, random),
    workflow_meta: { approvers: ["alice", "bob"], signed_off: random.chance(0.8) },
    repo_policy: {
      policy: {
        version: random.pick([1, "1.0"]),
        branch_rules: random.chance(0.8) ? [{ source, target }, ...listOf(random, (r) => ({ source: randomPattern(r), target: randomPattern(r) }), 2)] : [],
        rules: {
          allowed_target_branches: random.chance(0.7) ? [target, ...listOf(random, randomPattern, 2)] : null,
          approvals_required: random.pick([0, 1, 2, 3]),
          signed_off: random.chance(0.5),
        },
        enforcement: enforcement(random, PULL_REQUEST_RULES),
      },
    },
  };
}

const DEPLOY_RULES = ["approvals_required", "allowed_branches", "tests_passed", "signed_off", "max_deployments_per_day", "freeze", "required_checks"];
const PULL_REQUEST_RULES = ["branch_rules", "allowed_target_branches", "approvals_required", "signed_off", "reviewers"];

/** Usually absent or valid; now and then a rule name or level the policy must refuse. */
function enforcement(random: Random, names: string[]): Json {
  if (random.chance(0.4)) return null;
  if (random.chance(0.05)) return wrongValue(random);
  const out: { [key: string]: Json } = {};
  for (const name of names) if (random.chance(0.4)) put(out, name, random.pick(["warn", "warn", "block", "off", 1]));
  return out;
}

/** With some chance, one field of `input`, at any depth, replaced by the same field of a random input. */
function spoiled(random: Random, input: { [key: string]: Json }, other: (random: Random) => Json): Json {
  if (!random.chance(0.3)) return input;
  const donor = other(random);
  let target: { [key: string]: Json } = input;
  let source: Json = donor;
  for (;;) {
    const keys = Object.keys(target);
    if (keys.length === 0) return input;
    const key = random.pick(keys);
    const next: Json = target[key];
    const from: Json | undefined = isObject(source) ? source[key] : undefined;
    if (isObject(next) && random.chance(0.6)) {
      target = next;
      source = from ?? null;
      continue;
    }
    if (from === undefined) delete target[key];
    else put(target, key, from);
    return input;
  }
}

function deployInputs(random: Random): Json {
  return objectInput(random, (r) => {
    const pattern = randomPattern(r);
    const ref = r.pick(["branch", "branch", "branch", "bare", "tag", "other"]);
    const name = nameFor(pattern, r);
    const policy = repoPolicy(r, (rr) => fields(rr, { version, environments, metadata }, 0.85));
    // Put the generated pattern where the branch is judged, so branch rules often decide.
    const rules = Object.values(objectAt(policy, "policy", "environments") ?? {})
      .map((env) => objectAt(env, "rules"))
      .find(Boolean);
    if (rules && r.chance(0.7)) put(rules, "allowed_branches", [pattern, ...listOf(r, randomPattern, 2)]);
    return fields(
      r,
      {
        environment: (rr) => maybe(rr, from(ENVIRONMENTS), 0.08),
        ref: (rr) =>
          maybe(
            rr,
            () =>
              ({
                branch: `refs/heads/${name}`,
                bare: name,
                tag: "refs/tags/v1.0",
                other: rr.pick(["refs/heads/", "refs/pull/1/merge", "refs/heads/refs/heads/main"]),
              })[ref] ?? name,
            0.05,
          ),
        repo_environments: (rr) => maybe(rr, (x) => listOf(x, (y) => maybe(y, from(ENVIRONMENTS), 0.05), 4)),
        workflow_meta: (rr) => maybe(rr, workflowMeta),
        repo_policy: () => policy,
      },
      0.9,
    );
  });
}

function pullRequestRules(random: Random): Json {
  return fields(
    random,
    {
      allowed_target_branches: (r) => maybe(r, patternList),
      approvals_required: from(NUMBERS),
      signed_off: from([true, false, null, "true"]),
    },
    0.5,
  );
}

function pullRequestInputs(random: Random): Json {
  return objectInput(random, (r) => {
    const source = randomPattern(r);
    const target = randomPattern(r);
    const pair: Maker = (rr) => maybe(rr, (x) => fields(x, { source: (y) => maybe(y, randomPattern), target: (y) => maybe(y, randomPattern) }, 0.95));
    const policy = repoPolicy(r, (rr) =>
      fields(
        rr,
        {
          version,
          metadata,
          branch_rules: (x) => maybe(x, (y) => [{ source, target }, ...listOf(y, pair, 3)]),
          rules: (x) => maybe(x, pullRequestRules),
        },
        0.8,
      ),
    );
    return fields(
      r,
      {
        head_ref: (rr) => maybe(rr, () => nameFor(source, rr), 0.05),
        base_ref: (rr) => maybe(rr, () => nameFor(target, rr), 0.05),
        workflow_meta: (rr) => maybe(rr, workflowMeta),
        repo_policy: () => policy,
      },
      0.92,
    );
  });
}
