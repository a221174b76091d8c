import type { NewAuditRecord } from "../audit/record.js";
import type { AuditStore } from "../audit/store.js";
import type { PolicyName } from "../domain/policy-name.js";
import type { Outbox } from "../durability/work-store.js";
import type { DecisionResult } from "./create-metrics.js";

const DECISION_RESULTS: readonly string[] = ["allow", "deny", "error", "pending"] satisfies DecisionResult[];

/**
 * The store, with every decision it records counted: an audit row is the one place every decision
 * ends, including those GitHub or the store stopped before the policy ran (rejected with "error").
 */
export function countDecisions(store: AuditStore, recordDecision: (policy: PolicyName, result: DecisionResult) => void): AuditStore {
  const countRecorded = (row: NewAuditRecord, inserted: boolean) => {
    // A redelivery of a delivery already decided inserts nothing: the decision was counted the first time.
    if (inserted && DECISION_RESULTS.includes(row.decision)) recordDecision(row.policy as PolicyName, row.decision);
  };
  const insert: AuditStore["insert"] = async (row) => {
    const result = await store.insert(row);
    countRecorded(row, result.inserted);
    return result;
  };
  const { outbox } = store;
  const recordWithEffect: Outbox["recordWithEffect"] = async (row, effect, claimForMs) => {
    const recorded = await outbox!.recordWithEffect(row, effect, claimForMs);
    countRecorded(row, recorded.inserted);
    return recorded;
  };
  const countedOutbox = outbox && delegate(outbox, { recordWithEffect });
  return delegate(store, { insert, outbox: countedOutbox });
}

/** `target` with some members replaced; the rest still read from (and bound to) the target itself. */
function delegate<T extends object>(target: T, replaced: Partial<T>): T {
  return new Proxy(target, {
    get(object, key) {
      if (Object.hasOwn(replaced, key)) return replaced[key as keyof T];
      const value: unknown = Reflect.get(object, key, object);
      return typeof value === "function" ? value.bind(object) : value;
    },
  });
}
