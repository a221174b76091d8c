// The inputs whose decisions are kept in test/fixtures/policy-decisions: every hand-written policy
// input fixture and a seeded sample of generated ones, each with the policy it is for. A change meant
// to make the policies faster must leave every one of these decisions as it was.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { PolicyName } from "../../src/domain/policy-name.js";
import type { PolicyResult } from "../../src/domain/verdict.js";
import { seededRandom } from "./branch-pattern-generator.js";
import { repoRoot } from "./policy-bundle.js";
import { deployInput, pullRequestInput } from "./policy-input-generator.js";

export interface CorpusEntry {
  policy: PolicyName;
  /** Where the input comes from: a fixture's file name or the generator's seed and index. */
  source: string;
  input: unknown;
}

/** What the engine made of an input: its decision in a fixed form, or the error it threw. */
export type Outcome = { decision: unknown } | { error: string };

const SEED = 20261130;
const GENERATED_PER_POLICY = 300;
const fixtures = join(repoRoot, "test", "fixtures", "policy-input");

export function decisionCorpus(): CorpusEntry[] {
  const handWritten = readdirSync(fixtures)
    .filter((file) => file.endsWith(".json"))
    .sort()
    .map(
      (file): CorpusEntry => ({
        policy: file.startsWith("deploy.") ? "deploy" : "pullrequest",
        source: file,
        input: JSON.parse(readFileSync(join(fixtures, file), "utf8")),
      }),
    );
  const random = seededRandom(SEED);
  const generated = (["deploy", "pullrequest"] as const).flatMap((policy) =>
    Array.from(
      { length: GENERATED_PER_POLICY },
      (_, i): CorpusEntry => ({
        policy,
        source: `generated ${SEED} #${i}`,
        input: policy === "deploy" ? deployInput(random) : pullRequestInput(random),
      }),
    ),
  );
  return [...handWritten, ...generated];
}

/** The decision with object keys sorted and violations in one order (equal code and msg keep set order otherwise). */
export function outcomeOf(decide: () => PolicyResult): Outcome {
  try {
    const decision = sortKeys(decide()) as Record<string, unknown>;
    for (const part of ["violations", "warnings"]) {
      decision[part] = (decision[part] as unknown[])
        .map((v) => JSON.stringify(v))
        .sort()
        .map((v) => JSON.parse(v));
    }
    return { decision };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, item]) => [key, sortKeys(item)]),
  );
}
