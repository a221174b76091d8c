// The stricter of a repository's rule and an organisation minimum, one rule kind at a time, with a
// record of every value a minimum changed so the check run and the deployment comment can say so.

/** A rule a minimum made stricter than the repository's (or the organisation default's) value. */
export interface Tightening {
  rule: string;
  from: unknown;
  to: unknown;
  because: string;
}

export type Rules = Record<string, unknown>;

/** Applies minimums to a copy of `rules`; each call records what it changed. */
export class RuleTightener {
  readonly rules: Rules;
  readonly tightened: Tightening[] = [];

  constructor(
    rules: Rules,
    private readonly because: string,
  ) {
    this.rules = { ...rules };
  }

  private set(rule: string, to: unknown): void {
    this.tightened.push({ rule, from: this.rules[rule] ?? null, to, because: this.because });
    this.rules[rule] = to;
  }

  /** Approvals: the larger count. */
  atLeast(rule: string, minimum: number | undefined): void {
    if (minimum === undefined) return;
    const current = typeof this.rules[rule] === "number" ? (this.rules[rule] as number) : 0;
    if (minimum > current) this.set(rule, minimum);
  }

  /** Boolean requirements: required when either requires. */
  required(rule: string, minimum: boolean | undefined): void {
    if (minimum === true && this.rules[rule] !== true) this.set(rule, true);
  }

  /** Daily limits: the smaller, where absent or 0 means no limit, the loosest. */
  atMost(rule: string, minimum: number | undefined): void {
    if (minimum === undefined || minimum === 0) return;
    const current = this.rules[rule];
    if (typeof current !== "number" || current === 0 || minimum < current) this.set(rule, minimum);
  }

  /**
   * Branch lists: a branch must match both. Without a repository list (any branch) the minimum's list
   * takes its place; otherwise the minimum goes beside it under `<rule>_minimum`, which the policy
   * judges as one more list the branch must match.
   */
  branchesWithin(rule: string, minimum: string[] | undefined): void {
    if (minimum === undefined) return;
    const current = this.rules[rule];
    if (!Array.isArray(current)) {
      this.set(rule, minimum);
      return;
    }
    if (sameItems(current as string[], minimum)) return;
    const key = `${rule}_minimum`;
    const lists = Array.isArray(this.rules[key]) ? (this.rules[key] as string[][]) : [];
    if (lists.some((list) => sameItems(list, minimum))) return;
    this.tightened.push({ rule, from: current, to: { repository: current, organisation: minimum }, because: this.because });
    this.rules[key] = [...lists, minimum];
  }

  /** Lists every item must pass (required checks): both lists. */
  unionOf(rule: string, minimum: string[] | undefined): void {
    if (minimum === undefined) return;
    const current = Array.isArray(this.rules[rule]) ? (this.rules[rule] as string[]) : [];
    const added = minimum.filter((item) => !current.includes(item));
    if (added.length > 0) this.set(rule, [...current, ...added]);
  }

  /** Removes a rule's value, recording it (an "all checks" minimum replaces a repository's narrower list). */
  drop(rule: string): void {
    if (this.rules[rule] === undefined) return;
    this.tightened.push({ rule, from: this.rules[rule], to: null, because: this.because });
    delete this.rules[rule];
  }

  /** A rule the repository set to `warn` goes back to `block` when a minimum covers it. */
  blockingIn(enforcement: unknown, coveredRules: string[]): Record<string, string> | undefined {
    if (enforcement === null || typeof enforcement !== "object") return undefined;
    const result = { ...(enforcement as Record<string, string>) };
    for (const rule of coveredRules) {
      if (result[rule] !== "warn") continue;
      this.tightened.push({ rule: `enforcement.${rule}`, from: "warn", to: "block", because: this.because });
      result[rule] = "block";
    }
    return result;
  }
}

function sameItems(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item) => b.includes(item));
}
