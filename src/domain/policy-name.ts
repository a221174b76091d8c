// The set of policies repol judges, named once: config files, engine entrypoints, audit rows, the
// HTTP API and the CLI all use these names.

export const POLICY_NAMES = ["deploy", "pullrequest"] as const;

export type PolicyName = (typeof POLICY_NAMES)[number];

export function isPolicyName(value: unknown): value is PolicyName {
  return typeof value === "string" && (POLICY_NAMES as readonly string[]).includes(value);
}
