// The compiled policies must decide every input of the decision corpus as the record says: the
// record was taken before the policies were reshaped for speed, and a reshaping must not change a
// single decision (allow, deny, each violation and warning with all its fields, or the error).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { PolicyName } from "../../src/domain/policy-name.js";
import { loadPolicyEngine, type WasmPolicyEngine } from "../../src/policy/engine.js";
import { type CorpusEntry, decisionCorpus, type Outcome, outcomeOf } from "../helpers/decision-corpus.js";
import { policyWasmPath, repoRoot } from "../helpers/policy-bundle.js";

type Recorded = CorpusEntry & { outcome: Outcome };

const recordPath = join(repoRoot, "test", "fixtures", "policy-decisions", "decisions.jsonl");
const recorded: Recorded[] = readFileSync(recordPath, "utf8")
  .split("\n")
  .filter((line) => line !== "")
  .map((line) => JSON.parse(line) as Recorded);

let engine: WasmPolicyEngine;
beforeAll(async () => {
  engine = await loadPolicyEngine(policyWasmPath());
});

it("holds the corpus the helper builds today, so a changed generator cannot go unnoticed", () => {
  const corpus = decisionCorpus();
  expect(recorded.map(({ policy, source, input }) => ({ policy, source, input }))).toEqual(corpus);
});

describe.each<PolicyName>(["deploy", "pullrequest"])("the %s policy", (name) => {
  it("decides every recorded input as recorded", () => {
    const entries = recorded.filter((entry) => entry.policy === name);
    const differing = entries
      .filter((entry) => JSON.stringify(outcomeOf(() => engine.evaluate(name, entry.input))) !== JSON.stringify(entry.outcome))
      .map((entry) => entry.source);
    expect(entries.length).toBeGreaterThan(300);
    expect(differing).toEqual([]);
  });

  it("allows some recorded inputs and denies others, so the record can catch a change either way", () => {
    const allowed = recorded.filter((entry) => entry.policy === name && "decision" in entry.outcome && (entry.outcome.decision as { allow: boolean }).allow);
    expect(allowed.length).toBeGreaterThan(10);
  });
});
